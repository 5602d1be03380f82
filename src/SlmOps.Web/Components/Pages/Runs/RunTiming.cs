using SlmOps.Web.Components.Shared;
using SlmOps.Web.Runs;

namespace SlmOps.Web.Components.Pages.Runs;

/// <summary>
/// A run's times as the run page states them: how long its current attempt ran (claimed → finished, the "Duration"),
/// and how long it waited for a worker first, so a short training run after a long wait does not read as "nothing happened".
/// </summary>
public static class RunTiming
{
    public static string Duration(RunDto run) => Format.Duration(run.StartedAt, run.FinishedAt);

    /// <summary>The wait before the claim and the time from submission to the end (or now).</summary>
    public static string Detail(RunDto run, DateTimeOffset now)
    {
        var waited = Format.Span((run.StartedAt ?? run.FinishedAt ?? now) - run.QueuedAt);
        var total = Format.Span((run.FinishedAt ?? now) - run.QueuedAt);
        return run.StartedAt is null && run.FinishedAt is null
            ? $"waiting for a worker for {waited}"
            : $"after {waited} in the queue · {total} from submission to {(run.FinishedAt is null ? "now" : "end")}";
    }
}
