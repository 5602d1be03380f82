using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SlmOps.Data.Entities;
using SlmOps.Web.Lineage;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Apis;

/// <summary>Where a dataset version, run or model version came from and what was made from it.</summary>
public static class LineageApi
{
    public static IEndpointRouteBuilder MapLineageApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/lineage").WithTags("Lineage").RequireApiRole(ApiKeyRole.Viewer)
            .MapGet("/", GetLineage).WithName(nameof(GetLineage))
            .WithSummary("The lineage graph around a node (kind=dataset_version|run|base_model_version|slm_version|artifact, id), both directions, depth edges deep (default 2)")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static async Task<Results<Ok<LineageGraphDto>, ProblemHttpResult>> GetLineage(
        string? kind, string? id, ClaimsPrincipal user, LineageGraphReader reader, CancellationToken cancellation, int depth = 2)
    {
        if (kind is null || !LineageKinds.ByName.TryGetValue(kind, out var nodeKind))
        {
            return ApiProblems.BadRequest($"Query parameter kind must be one of {LineageKinds.Allowed}; got '{kind}'.");
        }
        if (string.IsNullOrWhiteSpace(id))
        {
            return ApiProblems.BadRequest("Query parameter id is required: the node's id as lineage edges store it (a run's uuid, a version's numeric id, an artifact's sha256).");
        }
        if (depth is < 1 or > LineageGraphReader.MaxDepth)
        {
            return ApiProblems.BadRequest($"depth must be between 1 and {LineageGraphReader.MaxDepth}; got {depth}.");
        }
        return await reader.ReadAsync(TeamCaller.Of(user), nodeKind, id.Trim(), depth, cancellation) is { } graph
            ? TypedResults.Ok(graph)
            : ApiProblems.NotFound($"No {kind} with id '{id}' exists and no lineage edge mentions it.", "Lineage node not found");
    }
}
