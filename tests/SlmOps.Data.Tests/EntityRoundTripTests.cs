using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SlmOps.Data.Tests.Infrastructure;

namespace SlmOps.Data.Tests;

/// <summary>Every entity type is written through EF and read back with every property intact.</summary>
public sealed class EntityRoundTripTests(MigratedDatabase fixture) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task Every_entity_type_of_the_model_has_a_round_trip_sample()
    {
        var written = await EntitySamples.WriteAllAsync(fixture.Database, "cover");
        await using var context = fixture.Database.CreateContext();

        // Keyless entity types map read-only views (run_metrics); the next test reads the sample point through it.
        var modelTypes = context.Model.GetEntityTypes().Where(e => e.FindPrimaryKey() is not null).Select(e => e.ClrType).ToHashSet();
        var sampledTypes = written.Select(w => w.GetType()).ToHashSet();

        Assert.Empty(modelTypes.Except(sampledTypes).Select(t => t.Name));
        Assert.Equal(23, modelTypes.Count);
    }

    [Fact]
    public async Task The_run_metrics_view_shows_a_stored_point_with_its_run_and_key()
    {
        var written = await EntitySamples.WriteAllAsync(fixture.Database, "view");
        var series = written.OfType<SlmOps.Data.Entities.MetricSeries>().Single();
        var point = written.OfType<SlmOps.Data.Entities.MetricSeriesPoint>().Single();
        await using var context = fixture.Database.CreateContext();

        var seen = await context.RunMetrics.AsNoTracking().SingleAsync(m => m.RunId == series.RunId && m.Key == series.Key);

        Assert.Equal((point.Step, point.Value, point.RecordedAt), (seen.Step, seen.Value, seen.RecordedAt));
    }

    [Fact]
    public async Task Every_property_of_every_entity_survives_a_write_and_read()
    {
        var written = await EntitySamples.WriteAllAsync(fixture.Database, "trip");
        var problems = new List<string>();

        foreach (var original in written)
        {
            // A fresh context, so the value comes from PostgreSQL rather than the change tracker.
            await using var context = fixture.Database.CreateContext();
            var entityType = context.Model.FindEntityType(original.GetType())!;
            var key = entityType.FindPrimaryKey()!.Properties.Select(p => p.PropertyInfo!.GetValue(original)).ToArray();
            var loaded = await context.FindAsync(original.GetType(), key);
            if (loaded is null)
            {
                problems.Add($"{entityType.ClrType.Name} {string.Join("/", key)}: not found");
                continue;
            }

            foreach (var property in entityType.GetProperties())
            {
                if (property.PropertyInfo is null)
                {
                    problems.Add($"{entityType.ClrType.Name}.{property.Name}: shadow property (a column the entity class does not show)");
                    continue;
                }

                var expected = property.PropertyInfo.GetValue(original);
                var actual = property.PropertyInfo.GetValue(loaded);
                if (IsDefault(expected, property.ClrType))
                {
                    problems.Add($"{entityType.ClrType.Name}.{property.Name}: the sample leaves it at its default, so it is not tested");
                }
                else if (!SameValue(property, expected, actual))
                {
                    problems.Add($"{entityType.ClrType.Name}.{property.Name}: wrote {expected}, read {actual}");
                }
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public async Task Navigations_load_the_related_rows()
    {
        await EntitySamples.WriteAllAsync(fixture.Database, "nav");
        await using var context = fixture.Database.CreateContext();

        var task = await context.TaskModels
            .Include(t => t.Versions).ThenInclude(v => v.BaseModelVersion).ThenInclude(b => b.BaseModel)
            .Include(t => t.Aliases).ThenInclude(a => a.SlmVersion)
            .SingleAsync(t => t.Name == "sonnets-nav");
        var dataset = await context.Datasets.Include(d => d.Versions).SingleAsync(d => d.Name == "shakespeare-nav");

        Assert.Equal("fft-36m-nav", Assert.Single(task.Versions).BaseModelVersion.BaseModel.Name);
        Assert.Equal(4, Assert.Single(task.Aliases).SlmVersion.Version);
        Assert.Equal(2, Assert.Single(dataset.Versions).Version);
    }

    private static bool IsDefault(object? value, Type clrType)
    {
        if (value is null)
        {
            return true;
        }

        var type = Nullable.GetUnderlyingType(clrType) ?? clrType;
        return type.IsValueType && value.Equals(Activator.CreateInstance(type));
    }

    // jsonb normalises whitespace and key order, so JSON is compared as JSON.
    private static bool SameValue(IProperty property, object? expected, object? actual) =>
        property.GetColumnType() == "jsonb"
            ? JsonNode.DeepEquals(JsonNode.Parse((string)expected!), JsonNode.Parse((string)actual!))
            : Equals(expected, actual);
}
