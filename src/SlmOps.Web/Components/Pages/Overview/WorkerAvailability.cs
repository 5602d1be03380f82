namespace SlmOps.Web.Components.Pages.Overview;

/// <summary>
/// The overview's words about workers. Who is online comes from the workers table (presence reports, claims,
/// heartbeats); the queue cards count the broker's consumers. When the two disagree the page says so instead of
/// claiming no worker is online next to a queue with a consumer.
/// </summary>
public static class WorkerAvailability
{
    public static string Consumers(QueueDepth queue) => queue.Consumers switch
    {
        0 => "no worker consuming",
        1 => "1 worker consuming",
        var n => $"{n} workers consuming",
    };

    /// <summary>The empty state's title and text when no worker reported within the online window.</summary>
    public static (string Title, string Detail) NoneOnline(IReadOnlyList<QueueDepth> queues)
    {
        var consumers = queues.Sum(q => (long)q.Consumers);
        return consumers == 0
            ? ("No worker is online", "Queued runs wait until one starts: run SlmOps.Worker (see README) on a CPU or GPU machine.")
            : ("No worker has reported yet",
                $"The queues show {consumers} consumer(s), but none has reported to this web host in the last minute: a worker that is " +
                "just starting reports within seconds; one that never does cannot reach this host's URL or runs an older version.");
    }
}
