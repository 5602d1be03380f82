using SlmOps.Torch.Distributed;

namespace SlmOps.Worker.Runs;

/// <summary>Which failures of a gang rank another attempt may not repeat.</summary>
public static class GangFailures
{
    /// <summary>
    /// A gang's collective or rendezvous failed: a rank died, hung or never joined, so another attempt (another gang)
    /// may succeed. Ranks that disagree on their build, world size or resume step ("agree on ...") would disagree again:
    /// that failure is final, and so is anything that is not a collective's.
    /// </summary>
    public static bool IsRetryable(Exception error) => error switch
    {
        DistributedException d => !d.Operation.StartsWith("agree on", StringComparison.Ordinal),
        AggregateException all => all.InnerExceptions.Any(IsRetryable),
        _ => error.InnerException is { } inner && IsRetryable(inner),
    };
}
