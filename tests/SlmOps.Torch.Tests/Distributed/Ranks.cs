using SlmOps.Torch.Distributed;

namespace SlmOps.Torch.Tests.Distributed;

/// <summary>Runs one body per rank, each on its own thread (dispose scopes are per thread), over loopback.</summary>
internal static class Ranks
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>Forms a Gloo group of <paramref name="world"/> ranks and runs <paramref name="body"/> on each; rethrows the first failure.</summary>
    public static T[] Run<T>(int world, Func<ProcessGroup, T> body, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        using var host = TcpStore.Host(world, limit);
        var results = new T[world];
        var threads = Enumerable.Range(0, world).Select(rank => Start(() =>
        {
            using var store = rank == 0 ? null : TcpStore.Connect("127.0.0.1", host.Port, rank, world, limit);
            using var group = ProcessGroup.Gloo(store ?? host, rank, world, limit);
            using (torch.NewDisposeScope())
                results[rank] = body(group);
        })).ToList();
        Join(threads);
        return results;
    }

    public static (Thread Thread, Exception?[] Error) Start(Action body)
    {
        var error = new Exception?[1];
        var thread = new Thread(() =>
        {
            try { body(); }
            catch (Exception e) { error[0] = e; }
        });
        thread.Start();
        return (thread, error);
    }

    public static void Join(IEnumerable<(Thread Thread, Exception?[] Error)> threads)
    {
        var all = threads.ToList();
        foreach (var (thread, _) in all) thread.Join();
        var failure = all.Select(t => t.Error[0]).FirstOrDefault(e => e is not null);
        if (failure is not null) throw new AggregateException(failure);
    }
}
