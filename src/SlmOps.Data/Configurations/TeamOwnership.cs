using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlmOps.Data.Entities;

namespace SlmOps.Data.Configurations;

/// <summary>The owning-team column (text, a team's name) of the tables whose rows belong to a team.</summary>
internal static class TeamOwnership
{
    public static void OwnedByTeam<T>(this EntityTypeBuilder<T> builder, System.Linq.Expressions.Expression<Func<T, object?>> team)
        where T : class =>
        builder.HasOne<Team>().WithMany().HasForeignKey(team).HasPrincipalKey(t => t.Name).OnDelete(DeleteBehavior.Restrict);
}
