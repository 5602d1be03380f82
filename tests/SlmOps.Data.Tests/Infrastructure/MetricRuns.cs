using SlmOps.Contracts;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Tests.Infrastructure;

/// <summary>Runs for metric tests: metric points must name a run that exists.</summary>
public static class MetricRuns
{
    public static async Task<Guid> CreateAsync(TestDatabase database)
    {
        await using var context = database.CreateContext();
        var run = new Run { Kind = RunKind.TrainTaskModel, CreatedBy = "test" };
        context.Runs.Add(run);
        await context.SaveChangesAsync();
        return run.Id;
    }
}
