using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;

namespace SlmOps.Data.Model;

/// <summary>
/// Names every column after its property in snake_case, so the configurations only spell out what differs.
/// Runs at model finalisation with convention precedence: an explicit HasColumnName still wins.
/// </summary>
public sealed class SnakeCaseColumnNamesConvention : IModelFinalizingConvention
{
    public void ProcessModelFinalizing(IConventionModelBuilder modelBuilder, IConventionContext<IConventionModelBuilder> context)
    {
        foreach (var entityType in modelBuilder.Metadata.GetEntityTypes())
        {
            foreach (var property in entityType.GetDeclaredProperties())
            {
                property.Builder.HasColumnName(SnakeCase.From(property.Name));
            }
        }
    }
}
