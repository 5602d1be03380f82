using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using SlmOps.Data.Tests.Infrastructure;

namespace SlmOps.Data.Tests;

/// <summary>
/// The SQL files are the schema and EF maps it; these tests compare the EF model with the migrated database
/// column by column, so neither can change without the other.
/// </summary>
public sealed partial class SchemaMatchesModelTests(MigratedDatabase fixture) : IClassFixture<MigratedDatabase>
{
    private sealed record Column(string Table, string Name, string DataType, bool Nullable);

    [Fact]
    public async Task Every_mapped_property_has_a_column_of_the_same_type_and_nullability()
    {
        var columns = (await ReadColumnsAsync()).ToDictionary(c => (c.Table, c.Name));
        await using var context = fixture.Database.CreateContext();
        var problems = new List<string>();

        foreach (var entityType in context.Model.GetEntityTypes())
        {
            var (table, store) = StoreOf(entityType);
            foreach (var property in entityType.GetProperties())
            {
                var name = property.GetColumnName(store)!;
                if (!columns.TryGetValue((table, name), out var column))
                {
                    problems.Add($"{entityType.ClrType.Name}.{property.Name}: no column {table}.{name}");
                    continue;
                }

                var storeType = property.GetRelationalTypeMapping().StoreType;
                if (!string.Equals(storeType, column.DataType, StringComparison.Ordinal))
                {
                    problems.Add($"{table}.{name}: model type {storeType}, database type {column.DataType}");
                }

                // PostgreSQL reports every column of a view as nullable; only tables carry NOT NULL.
                if (entityType.GetTableName() is not null && property.IsNullable != column.Nullable)
                {
                    problems.Add($"{table}.{name}: model nullable={property.IsNullable}, database nullable={column.Nullable}");
                }
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public async Task Every_table_and_column_of_the_database_is_mapped()
    {
        await using var context = fixture.Database.CreateContext();
        var mapped = context.Model.GetEntityTypes()
            .SelectMany(e => e.GetProperties().Select(p => (Table: StoreOf(e).Name, Column: p.GetColumnName(StoreOf(e).Store)!)))
            .ToHashSet();

        var unmapped = (await ReadColumnsAsync())
            .Where(c => c.Table != "schema_migrations" && !mapped.Contains((c.Table, c.Name)))
            .Select(c => $"{c.Table}.{c.Name}")
            .ToList();

        Assert.Empty(unmapped);
    }

    [Fact]
    public async Task Primary_keys_match()
    {
        await using var context = fixture.Database.CreateContext();
        var database = await ReadPrimaryKeysAsync();

        // A keyless entity maps a view (run_metrics); views have no constraints to compare.
        foreach (var entityType in context.Model.GetEntityTypes().Where(e => e.FindPrimaryKey() is not null))
        {
            var table = entityType.GetTableName()!;
            var store = StoreObjectIdentifier.Table(table, null);
            var modelKey = entityType.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName(store)!).ToList();
            Assert.True(database.TryGetValue(table, out var databaseKey), $"{table} has no primary key");
            Assert.Equal(databaseKey, modelKey);
        }
    }

    [Fact]
    public async Task Foreign_keys_of_the_model_exist_in_the_database_with_the_same_delete_rule()
    {
        await using var context = fixture.Database.CreateContext();
        var database = await ReadForeignKeysAsync();
        var problems = new List<string>();

        foreach (var foreignKey in context.Model.GetEntityTypes().SelectMany(e => e.GetForeignKeys()))
        {
            var table = foreignKey.DeclaringEntityType.GetTableName()!;
            var store = StoreObjectIdentifier.Table(table, null);
            var columns = string.Join(",", foreignKey.Properties.Select(p => p.GetColumnName(store)));
            var principal = foreignKey.PrincipalEntityType.GetTableName()!;
            var expectedRule = foreignKey.DeleteBehavior switch
            {
                DeleteBehavior.Cascade => "CASCADE",
                DeleteBehavior.SetNull => "SET NULL",
                DeleteBehavior.Restrict => "RESTRICT",
                _ => "NO ACTION",
            };

            if (!database.TryGetValue((table, columns), out var actual))
            {
                problems.Add($"{table}({columns}) -> {principal}: no such foreign key in the database");
            }
            else if (actual.Principal != principal || actual.DeleteRule != expectedRule)
            {
                problems.Add($"{table}({columns}): model -> {principal} ON DELETE {expectedRule}, " +
                             $"database -> {actual.Principal} ON DELETE {actual.DeleteRule}");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public async Task Every_enum_column_check_lists_exactly_the_stored_enum_values()
    {
        var checks = await ReadSingleColumnChecksAsync();
        await using var context = fixture.Database.CreateContext();
        var enumProperties = context.Model.GetEntityTypes()
            .SelectMany(e => e.GetProperties().Select(p => (Entity: e, Property: p)))
            .Where(x => x.Property.ClrType.IsEnum)
            .ToList();

        Assert.NotEmpty(enumProperties);
        foreach (var (entity, property) in enumProperties)
        {
            var table = entity.GetTableName()!;
            var column = property.GetColumnName(StoreObjectIdentifier.Table(table, null))!;
            var converter = property.GetTypeMapping().Converter!;
            var stored = Enum.GetValues(property.ClrType).Cast<object>()
                .Select(v => (string)converter.ConvertToProvider(v)!)
                .Order(StringComparer.Ordinal);

            Assert.True(checks.TryGetValue((table, column), out var definition), $"{table}.{column} has no CHECK");
            var allowed = QuotedLiteral().Matches(definition).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);
            Assert.Equal(stored, allowed);
        }
    }

    /// <summary>The table, or for a read-only entity the view, an entity type maps.</summary>
    private static (string Name, StoreObjectIdentifier Store) StoreOf(IEntityType entityType) =>
        entityType.GetTableName() is { } table
            ? (table, StoreObjectIdentifier.Table(table, entityType.GetSchema()))
            : (entityType.GetViewName()!, StoreObjectIdentifier.View(entityType.GetViewName()!, entityType.GetViewSchema()));

    [GeneratedRegex(@"'([^']*)'::text")]
    private static partial Regex QuotedLiteral();

    private async Task<List<Column>> ReadColumnsAsync()
    {
        const string sql = """
            SELECT table_name, column_name, data_type, is_nullable = 'YES'
            FROM information_schema.columns WHERE table_schema = 'public'
            """;
        var columns = new List<Column>();
        await using var connection = await fixture.Database.OpenConnectionAsync();
        await using var reader = await new NpgsqlCommand(sql, connection).ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(new Column(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)));
        }

        return columns;
    }

    private async Task<Dictionary<string, List<string>>> ReadPrimaryKeysAsync()
    {
        const string sql = """
            SELECT c.conrelid::regclass::text, a.attname
            FROM pg_constraint c
            CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, position)
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
            WHERE c.contype = 'p' AND c.connamespace = 'public'::regnamespace
            ORDER BY 1, k.position
            """;
        var keys = new Dictionary<string, List<string>>();
        await using var connection = await fixture.Database.OpenConnectionAsync();
        await using var reader = await new NpgsqlCommand(sql, connection).ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var table = reader.GetString(0);
            if (!keys.TryGetValue(table, out var columns))
            {
                keys[table] = columns = [];
            }

            columns.Add(reader.GetString(1));
        }

        return keys;
    }

    private async Task<Dictionary<(string Table, string Columns), (string Principal, string DeleteRule)>> ReadForeignKeysAsync()
    {
        const string sql = """
            SELECT c.conrelid::regclass::text,
                   (SELECT string_agg(a.attname, ',' ORDER BY k.position)
                    FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, position)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
                   c.confrelid::regclass::text,
                   CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'r' THEN 'RESTRICT'
                                      WHEN 'd' THEN 'SET DEFAULT' ELSE 'NO ACTION' END
            FROM pg_constraint c
            WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
            """;
        var keys = new Dictionary<(string, string), (string, string)>();
        await using var connection = await fixture.Database.OpenConnectionAsync();
        await using var reader = await new NpgsqlCommand(sql, connection).ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys[(reader.GetString(0), reader.GetString(1))] = (reader.GetString(2), reader.GetString(3));
        }

        return keys;
    }

    private async Task<Dictionary<(string Table, string Column), string>> ReadSingleColumnChecksAsync()
    {
        const string sql = """
            SELECT c.conrelid::regclass::text, a.attname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'c' AND cardinality(c.conkey) = 1 AND c.connamespace = 'public'::regnamespace
            """;
        var checks = new Dictionary<(string, string), string>();
        await using var connection = await fixture.Database.OpenConnectionAsync();
        await using var reader = await new NpgsqlCommand(sql, connection).ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            checks[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
        }

        return checks;
    }
}
