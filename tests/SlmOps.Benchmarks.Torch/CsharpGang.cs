using SlmOps.Torch;
using SlmOps.Torch.Distributed;

namespace SlmOps.Benchmarks.Torch;

/// <summary>
/// The C# side of the data-parallel benchmark: <c>world</c> ranks as threads of this process, each with its own model,
/// optimizer and group (Gloo over 127.0.0.1 on CPU; NCCL with rank r on cuda:r), reading rows [rank·B, (rank+1)·B) of every batch; gradients are averaged
/// in buckets after backward. The ranks warm up when started and then run one timed repetition per <see cref="Rep"/>,
/// so repetitions alternate with PyTorch's.
/// </summary>
public sealed class CsharpGang : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly Barrier _barrier;
    private readonly List<Thread> _threads = [];
    private readonly Exception?[] _errors;
    private readonly int _world;
    private readonly double _tokensPerStep;
    private readonly BenchOptions _o;
    private readonly GptConfig _config;
    private volatile bool _quit;
    private double _lastLoss = double.NaN;

    public CsharpGang(int world, Gpt initial, Tensor data, BenchOptions o)
    {
        _world = world;
        _o = o;
        _config = initial.Config;
        _errors = new Exception?[world];
        _phases = new string[world];
        _tokensPerStep = (double)world * o.Batch * (data.shape[2] - 1);
        _barrier = new Barrier(world + 1);
        var initialState = initial.state_dict();
        var host = TcpStore.Host(world, Timeout);
        for (var r = 0; r < world; r++)
        {
            var rank = r;
            var thread = new Thread(() => RankMain(rank, host, initialState, data)) { Name = $"rank {rank}" };
            _threads.Add(thread);
            thread.Start();
        }
        _barrier.SignalAndWait(); // every rank has warmed up
        host.Dispose(); // the ranks' groups are formed; the store is no longer needed
        ThrowIfFailed();
    }

    /// <summary>Rank 0's final weights (after <see cref="Dispose"/>), to compare with PyTorch's.</summary>
    public Dictionary<string, float[]> FinalWeights { get; } = [];

    public double FirstLoss { get; private set; } = double.NaN;

    /// <summary>Each rank's milliseconds per step in each phase, over all its steps so far.</summary>
    public string PhaseReport => string.Join("; ", _phases.Select((p, r) => $"rank {r}: {p}"));

    private readonly string[] _phases;

    /// <summary>One timed repetition of every rank together: tokens/s of all ranks, and rank 0's last loss.</summary>
    public (double TokS, double Loss) Rep()
    {
        _barrier.SignalAndWait(); // start
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _barrier.SignalAndWait(); // done
        ThrowIfFailed();
        return (_o.Steps * _tokensPerStep / clock.Elapsed.TotalSeconds, _lastLoss);
    }

    public void Dispose()
    {
        if (_quit) return;
        _quit = true;
        _barrier.SignalAndWait();
        _threads.ForEach(t => t.Join());
        _barrier.Dispose();
    }

    private void RankMain(int rank, TcpStore host, Dictionary<string, Tensor> initialState, Tensor data)
    {
        try
        {
            using var store = rank == 0 ? null : TcpStore.Connect(host.HostName, host.Port, rank, _world, Timeout);
            var device = Device.Parse(_o.Device).Type == DeviceType.CUDA ? new Device(DeviceType.CUDA, rank) : Device.CPU;
            using var group = device.Type == DeviceType.CUDA
                ? ProcessGroup.Nccl(store ?? host, rank, _world, Timeout)
                : ProcessGroup.Gloo(store ?? host, rank, _world, Timeout);
            using var model = new Gpt(_config);
            if (rank == 0) model.load_state_dict(initialState);
            model.to(device);
            using (torch.no_grad())
                foreach (var p in model.parameters()) group.Broadcast(p);
            using var shard = data.narrow(1, rank * _o.Batch, _o.Batch).contiguous().to(device);
            using var buckets = _world > 1 ? new GradientBuckets(model.parameters().ToList(), group, (long)_o.BucketMb << 20) : null;
            var trainer = new Trainer(model, shard, _o, device) { Buckets = buckets };
            trainer.Warmup();
            if (rank == 0) FirstLoss = trainer.FirstLoss;
            _barrier.SignalAndWait();
            while (true)
            {
                _barrier.SignalAndWait();
                if (_quit) break;
                var (_, loss) = trainer.Rep();
                _phases[rank] = trainer.PhaseReport;
                if (rank == 0) _lastLoss = loss;
                _barrier.SignalAndWait();
            }
            if (rank == 0)
                foreach (var (name, t) in model.state_dict()) FinalWeights[name] = t.detach().to(Device.CPU).ToArray<float>();
        }
        catch (Exception e)
        {
            _errors[rank] = e;
            _barrier.RemoveParticipant();
        }
    }

    private void ThrowIfFailed()
    {
        var failure = _errors.FirstOrDefault(e => e is not null);
        if (failure is not null) throw new InvalidOperationException($"a C# rank failed: {failure.Message}", failure);
    }
}
