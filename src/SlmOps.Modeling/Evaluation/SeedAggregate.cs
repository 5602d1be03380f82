namespace SlmOps.Modeling.Evaluation;

/// <summary>Combines one report per training seed into one row per method: means, and every seed's task loss and gap closed.</summary>
public static class SeedAggregate
{
    public static IReadOnlyList<MethodResult> Combine(IReadOnlyList<MethodComparisonReport> reports)
    {
        var first = reports[0].Methods;
        return first.Select(row =>
        {
            var runs = reports.Select(r => r.Methods.Single(m => m.Method == row.Method)).ToList();
            var gaps = runs.Where(r => r.GapClosed is not null).Select(r => r.GapClosed!.Value).ToList();
            return row with
            {
                TaskValLoss = runs.Average(r => r.TaskValLoss),
                BaseValLossPlugged = Mean(runs.Select(r => r.BaseValLossPlugged)),
                BaseValLossUnplugged = Mean(runs.Select(r => r.BaseValLossUnplugged)),
                PeakMemoryBytes = runs.Any(r => r.PeakMemoryBytes is null) ? null : (long)runs.Average(r => r.PeakMemoryBytes!.Value),
                StepTimeMs = Mean(runs.Select(r => r.StepTimeMs)),
                TokensPerSecond = Mean(runs.Select(r => r.TokensPerSecond)),
                TokensLossArgmax = Mean(runs.Select(r => r.TokensLossArgmax)),
                TokensLossOneDraw = Mean(runs.Select(r => r.TokensLossOneDraw)),
                GapClosed = gaps.Count == runs.Count ? gaps.Average() : null,
                TaskValLossPerSeed = runs.Select(r => r.TaskValLoss).ToList(),
                GapClosedPerSeed = gaps.Count == runs.Count ? gaps : null,
                Detail = row.Detail is null ? null : $"first seed: {row.Detail}",
            };
        }).ToList();
    }

    private static double? Mean(IEnumerable<double?> values)
    {
        var list = values.ToList();
        return list.Any(v => v is null) ? null : list.Average(v => v!.Value);
    }
}
