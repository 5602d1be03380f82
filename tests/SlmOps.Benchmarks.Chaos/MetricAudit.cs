namespace SlmOps.Benchmarks.Chaos;

/// <summary>
/// What the soak checks in PostgreSQL once every run has ended: every metric series of a Succeeded run holds each step
/// from 1 to its last exactly once. A training run's series (loss, learning_rate, tokens_per_second) must reach its
/// last training step, so points lost at the end count too; an evaluation's two series hold step 0 once.
/// </summary>
public static class MetricAudit
{
    public static readonly string[] TrainingSeries = ["loss", "learning_rate", "tokens_per_second"];
    public static readonly string[] EvaluationSeries = ["eval/val_loss", "eval/perplexity"];

    public sealed record Result(long Lost, long Duplicates);

    public static async Task<Result> CheckAsync(ChaosStack stack, IEnumerable<SoakRun> succeeded)
    {
        long lost = 0, duplicates = 0;
        foreach (var run in succeeded)
        {
            var expected = run.TrainingSteps > 0 ? TrainingSeries : EvaluationSeries;
            var last = Math.Max(run.TrainingSteps, 0);
            foreach (var key in expected)
            {
                // Steps expected: 1..last for training series, {0} for an evaluation's.
                var present = await stack.ScalarAsync<long>(
                    "SELECT count(DISTINCT step) FROM run_metrics WHERE run_id = $1 AND key = $2 AND step BETWEEN $3 AND $4",
                    run.Id, key, last == 0 ? 0L : 1L, (long)last);
                lost += (last == 0 ? 1 : last) - present;
            }
            // Every series of the run, the expected ones and any other: points beyond the distinct steps are duplicates,
            // and a gap below a series' own last step is a lost point.
            duplicates += await stack.ScalarAsync<long>(
                "SELECT count(*) - count(DISTINCT (key, step)) FROM run_metrics WHERE run_id = $1", run.Id);
            lost += await stack.ScalarAsync<long>("""
                SELECT coalesce(sum(last - steps), 0)::bigint FROM (
                    SELECT max(step) AS last, count(DISTINCT step) FILTER (WHERE step >= 1) AS steps
                    FROM run_metrics WHERE run_id = $1 AND NOT (key = ANY($2)) GROUP BY key HAVING max(step) >= 1) s
                """, run.Id, expected);
        }
        return new Result(lost, duplicates);
    }
}
