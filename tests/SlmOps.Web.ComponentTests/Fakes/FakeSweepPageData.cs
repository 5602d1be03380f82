using System.Text.Json;
using SlmOps.Contracts;
using SlmOps.Contracts.Sweeps;
using SlmOps.Web.Components.Pages.Sweeps;
using SlmOps.Web.Components.Shared;
using SlmOps.Web.Runs;
using SlmOps.Web.Teams;

namespace SlmOps.Web.ComponentTests.Fakes;

/// <summary>The sweep page's data without PostgreSQL: stored sweeps and a curve of two points per trial with a value.</summary>
public sealed class FakeSweepPageData : ISweepPageData
{
    public Dictionary<Guid, SweepDto> Stored { get; } = [];

    public Task<SweepDto?> GetAsync(TeamCaller caller, Guid id) => Task.FromResult(Stored.GetValueOrDefault(id));

    public Task<IReadOnlyList<MetricChart.Line>> CurvesAsync(SweepDto sweep) => Task.FromResult<IReadOnlyList<MetricChart.Line>>(
        sweep.Trials.Where(t => t.BestValue is not null)
            .Select(t => new MetricChart.Line($"#{t.Index}", [new MetricPointDto(0, t.BestValue!.Value + 1), new MetricPointDto(t.BestStep!.Value, t.BestValue!.Value)]))
            .ToList());

    /// <summary>A finished fine-tune sweep over the learning rate and the method: trial 1 best (v2 of "support"), trial 2 stopped at step 10, trial 3 refused.</summary>
    public static SweepDto FinishedSweep()
    {
        static Dictionary<string, JsonElement> Params(double lr, string method) => new()
        {
            ["method"] = JsonSerializer.SerializeToElement(method), ["training.learningRate"] = JsonSerializer.SerializeToElement(lr),
        };
        SweepTrialDto[] ranked =
        [
            new(1, Guid.NewGuid(), Params(0.01, "slm"), RunStatus.Succeeded, 2.25, 40, 40, null, null, 12, "support", 2),
            new(0, Guid.NewGuid(), Params(0.001, "lora"), RunStatus.Succeeded, 2.5, 30, 40, null, null, 11, "support", 1),
            new(2, Guid.NewGuid(), Params(1e-9, "slm"), RunStatus.Cancelled, 4.75, 10, 10, 10, null, null),
            new(3, null, Params(0.1, "lora"), null, null, null, null, null, "spec.datasetVersionId: Dataset version 5 does not exist.", null),
        ];
        return new SweepDto(Guid.NewGuid(), "lr-sweep", "default", RunStatus.Succeeded, "finetune", "eval/val_loss", "minimize", 4, 2, 4, 0, null,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, ranked, ranked[0]);
    }
}
