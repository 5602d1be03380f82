using System.Text.Json;
using SlmOps.Contracts;
using SlmOps.Web.Runs;

namespace SlmOps.Web.ComponentTests.Fakes;

/// <summary>Run rows as the queries return them.</summary>
public static class RunRows
{
    public static RunDto Dto(RunKind kind, string? name, string config, int priority = 5, RunStatus status = RunStatus.Succeeded,
        DateTimeOffset? queuedAt = null, DateTimeOffset? startedAt = null, DateTimeOffset? finishedAt = null) =>
        new(Guid.NewGuid(), kind, status, name, "default", JsonDocument.Parse(config).RootElement.Clone(), priority, 1, "w1", "cpu", 1, 1.5, null,
            queuedAt ?? DateTimeOffset.UtcNow, queuedAt, startedAt, finishedAt, finishedAt, null, null, "tester");
}
