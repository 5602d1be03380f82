using SlmOps.Contracts.Sweeps;
using SlmOps.Web.Components.Shared;
using SlmOps.Web.Runs;
using SlmOps.Web.Sweeps;

namespace SlmOps.Web.Components.Pages.Sweeps;

/// <summary>What the sweep page reads: the sweep with its ranked trials, and each trial's curve of the sweep's metric.</summary>
public interface ISweepPageData
{
    /// <summary>The sweep if <paramref name="caller"/> sees it; null otherwise.</summary>
    Task<SweepDto?> GetAsync(TeamCaller caller, Guid id);

    /// <summary>One line per trial that recorded the metric, labelled "#index".</summary>
    Task<IReadOnlyList<MetricChart.Line>> CurvesAsync(SweepDto sweep);
}

/// <summary>The page's data on PostgreSQL, one DI scope per call.</summary>
public sealed class SweepPageData(DashboardScope scope) : ISweepPageData
{
    public Task<SweepDto?> GetAsync(TeamCaller caller, Guid id) => scope.RunAsync(services => services.GetRequiredService<SweepQueries>().GetAsync(caller, id));

    public Task<IReadOnlyList<MetricChart.Line>> CurvesAsync(SweepDto sweep) => scope.RunAsync<IReadOnlyList<MetricChart.Line>>(async services =>
    {
        var runs = services.GetRequiredService<RunQueries>();
        var lines = new List<MetricChart.Line>();
        foreach (var trial in sweep.Trials.Where(t => t.RunId is not null).OrderBy(t => t.Index))
        {
            var series = await runs.MetricsAsync(trial.RunId!.Value, sweep.Metric, 300);
            if (series.FirstOrDefault() is { Points.Count: > 0 } line) lines.Add(new MetricChart.Line($"#{trial.Index}", line.Points));
        }
        return lines;
    });
}
