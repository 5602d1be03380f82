using SlmOps.Data.Entities;
namespace Microsoft.AspNetCore.Builder;
// Stand-in until the worker role lands (merge of helper-artifacts deletes this file).
public static class WorkerRoleStandIn
{
    public static TBuilder RequireWorkerRole<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder => builder.RequireApiRole(ApiKeyRole.Admin);
}
