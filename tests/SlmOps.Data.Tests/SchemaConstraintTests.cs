using SlmOps.Contracts;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SlmOps.Data.Entities;
using SlmOps.Data.Tests.Infrastructure;

namespace SlmOps.Data.Tests;

/// <summary>The rules the schema itself enforces, whatever code writes to it.</summary>
public sealed class SchemaConstraintTests(MigratedDatabase fixture) : IClassFixture<MigratedDatabase>
{
    private static async Task<PostgresException> RejectedAsync(Func<Task> write)
    {
        var error = await Record.ExceptionAsync(write);
        return error switch
        {
            PostgresException postgres => postgres,
            DbUpdateException { InnerException: PostgresException postgres } => postgres,
            _ => throw new Xunit.Sdk.XunitException($"expected PostgreSQL to reject the write, got {error?.GetType().Name ?? "success"}"),
        };
    }

    [Fact]
    public async Task A_base_model_version_cannot_be_rewritten_but_its_evaluation_can_change()
    {
        await EntitySamples.WriteAllAsync(fixture.Database, "immutable");
        await using var context = fixture.Database.CreateContext();
        var version = await context.BaseModelVersions.SingleAsync(v => v.BaseModel.Name == "fft-36m-immutable");

        version.EvaluationMetrics = """{"val_loss": 1.25}""";
        await context.SaveChangesAsync();

        version.WeightsSha256 = version.TokenizerSha256;
        var error = await RejectedAsync(() => context.SaveChangesAsync());
        Assert.Contains("immutable", error.MessageText);
    }

    [Fact]
    public async Task An_slm_version_cannot_switch_its_base_model_or_weights()
    {
        await EntitySamples.WriteAllAsync(fixture.Database, "slmfrozen");
        await using var context = fixture.Database.CreateContext();
        var slm = await context.SlmVersions.SingleAsync(v => v.TaskModel.Name == "sonnets-slmfrozen");

        slm.CouplingMode = CouplingMode.Tokens;

        Assert.Contains("immutable", (await RejectedAsync(() => context.SaveChangesAsync())).MessageText);
    }

    [Fact]
    public async Task Deleting_the_producing_run_unlinks_registry_versions_despite_the_immutability_trigger()
    {
        await EntitySamples.WriteAllAsync(fixture.Database, "unlink");
        await using var context = fixture.Database.CreateContext();
        var slm = await context.SlmVersions.SingleAsync(v => v.TaskModel.Name == "sonnets-unlink");

        await context.Runs.Where(r => r.Id == slm.RunId).ExecuteDeleteAsync();

        await using var fresh = fixture.Database.CreateContext();
        Assert.Null((await fresh.SlmVersions.SingleAsync(v => v.Id == slm.Id)).RunId);
    }

    [Fact]
    public async Task An_alias_cannot_point_at_another_task_models_version()
    {
        await EntitySamples.WriteAllAsync(fixture.Database, "aliasa");
        await EntitySamples.WriteAllAsync(fixture.Database, "aliasb");
        await using var context = fixture.Database.CreateContext();
        var taskA = await context.TaskModels.SingleAsync(t => t.Name == "sonnets-aliasa");
        var versionOfB = await context.SlmVersions.SingleAsync(v => v.TaskModel.Name == "sonnets-aliasb");

        context.Aliases.Add(new Alias { TaskModelId = taskA.Id, Name = "staging", SlmVersionId = versionOfB.Id, UpdatedBy = "eve" });

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, (await RejectedAsync(() => context.SaveChangesAsync())).SqlState);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("prod_1")]
    [InlineData("42")]
    [InlineData("")]
    public async Task Alias_names_are_lowercase_dashed_and_not_numeric(string name)
    {
        await EntitySamples.WriteAllAsync(fixture.Database, $"name{Math.Abs(name.GetHashCode()) % 100000}");
        await using var context = fixture.Database.CreateContext();
        var version = await context.SlmVersions.OrderByDescending(v => v.Id).FirstAsync();

        context.Aliases.Add(new Alias { TaskModelId = version.TaskModelId, Name = name, SlmVersionId = version.Id, UpdatedBy = "eve" });

        Assert.Equal(PostgresErrorCodes.CheckViolation, (await RejectedAsync(() => context.SaveChangesAsync())).SqlState);
    }

    [Fact]
    public async Task A_second_alias_with_the_same_name_on_a_task_is_rejected()
    {
        await EntitySamples.WriteAllAsync(fixture.Database, "dupalias");
        await using var context = fixture.Database.CreateContext();
        var version = await context.SlmVersions.SingleAsync(v => v.TaskModel.Name == "sonnets-dupalias");

        context.Aliases.Add(new Alias { TaskModelId = version.TaskModelId, Name = "production", SlmVersionId = version.Id, UpdatedBy = "eve" });

        Assert.Equal(PostgresErrorCodes.UniqueViolation, (await RejectedAsync(() => context.SaveChangesAsync())).SqlState);
    }

    [Fact]
    public async Task The_audit_log_is_append_only()
    {
        await EntitySamples.WriteAllAsync(fixture.Database, "audit");
        await using var context = fixture.Database.CreateContext();

        await RejectedAsync(() => context.AuditLog.ExecuteUpdateAsync(s => s.SetProperty(e => e.Actor, "mallory")));
        await RejectedAsync(() => context.AuditLog.ExecuteDeleteAsync());
        Assert.DoesNotContain(await context.AuditLog.Select(e => e.Actor).ToListAsync(), a => a == "mallory");
    }

    [Theory]
    [InlineData("UPDATE runs SET status = 'Paused'")]
    [InlineData("UPDATE runs SET kind = 'Dance'")]
    [InlineData("UPDATE runs SET progress = 1.5")]
    [InlineData("UPDATE runs SET config = '[1, 2]'")]
    [InlineData("UPDATE api_keys SET role = 'root'")]
    [InlineData("UPDATE artifacts SET sha256 = 'NOT-A-HASH' WHERE size_bytes < 0 OR true")]
    public async Task Values_outside_the_allowed_set_are_rejected(string sql)
    {
        await EntitySamples.WriteAllAsync(fixture.Database, $"check{Math.Abs(sql.GetHashCode()) % 100000}");

        var error = await RejectedAsync(() => fixture.Database.ExecuteAsync(sql));

        Assert.True(error.SqlState is PostgresErrorCodes.CheckViolation or PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [Fact]
    public async Task Dataset_versions_are_unique_per_dataset()
    {
        await EntitySamples.WriteAllAsync(fixture.Database, "dsv");
        await using var context = fixture.Database.CreateContext();
        var existing = await context.DatasetVersions.AsNoTracking().SingleAsync(v => v.Dataset.Name == "shakespeare-dsv");

        context.DatasetVersions.Add(new DatasetVersion
        {
            DatasetId = existing.DatasetId, Version = existing.Version, Sha256 = existing.Sha256, SizeBytes = 1,
            Format = DatasetFormat.Text, CreatedBy = "eve",
        });

        Assert.Equal(PostgresErrorCodes.UniqueViolation, (await RejectedAsync(() => context.SaveChangesAsync())).SqlState);
    }
}
