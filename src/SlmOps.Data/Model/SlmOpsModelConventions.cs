using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Model;

/// <summary>
/// Model-wide rules: snake_case columns, and enums stored as text matching the CHECK constraints of
/// migrations/0001_initial.sql (run kind/status by member name, the rest in snake_case).
/// </summary>
internal static class SlmOpsModelConventions
{
    public static void Apply(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Conventions.Add(_ => new SnakeCaseColumnNamesConvention());

        configurationBuilder.Properties<RunKind>().HaveConversion<string>();
        configurationBuilder.Properties<RunStatus>().HaveConversion<string>();

        configurationBuilder.Properties<DatasetFormat>().HaveConversion<SnakeCaseEnumConverter<DatasetFormat>>();
        configurationBuilder.Properties<RunEventLevel>().HaveConversion<SnakeCaseEnumConverter<RunEventLevel>>();
        configurationBuilder.Properties<LineageNodeKind>().HaveConversion<SnakeCaseEnumConverter<LineageNodeKind>>();
        configurationBuilder.Properties<ArchitectureKind>().HaveConversion<SnakeCaseEnumConverter<ArchitectureKind>>();
        configurationBuilder.Properties<CouplingMode>().HaveConversion<SnakeCaseEnumConverter<CouplingMode>>();
        configurationBuilder.Properties<AliasAction>().HaveConversion<SnakeCaseEnumConverter<AliasAction>>();
        configurationBuilder.Properties<ApiKeyRole>().HaveConversion<SnakeCaseEnumConverter<ApiKeyRole>>();
    }
}
