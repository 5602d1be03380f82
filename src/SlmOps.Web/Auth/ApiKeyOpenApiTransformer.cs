using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SlmOps.Web.Auth;

/// <summary>
/// Describes the API keys in the OpenAPI document: the two ways to send one (X-Api-Key header, or Authorization: Bearer)
/// as security schemes, and on every operation that needs a key, the requirement plus the least role it needs
/// (from the endpoint's role policies, worker keys included), so generated clients and readers of the document know how to call it.
/// </summary>
internal sealed class ApiKeyOpenApiTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    private const string HeaderScheme = "ApiKey";
    private const string BearerScheme = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[HeaderScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = AuthSchemes.ApiKeyHeader,
            Description = $"An API key ({ApiKeyFormat.Marker}<prefix>_<secret>), created by an admin (`POST /api/v1/api-keys`, or `create-admin-key` for the first; `create-worker-key` for a worker machine).",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The same API key sent as `Authorization: Bearer <key>`.",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any()) return Task.CompletedTask;
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        if (authorize.Count == 0) return Task.CompletedTask;

        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(HeaderScheme, context.Document)] = [] });
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
        // Every policy on the endpoint must pass, so it needs the strictest of them.
        if (MinimumRoleRequirement.Strictest(authorize.Select(data => ApiRoles.RequirementOf(data.Policy)).OfType<MinimumRoleRequirement>()) is { } needs)
        {
            var sentence = needs switch
            {
                { IsWorkerPolicy: true } => "Needs a worker key (role worker), or an admin key acting as a worker.",
                { AdmitsWorkers: true } => $"Needs an API key with role {ApiRoles.Name(needs.Role)} or higher, or a worker key.",
                _ => $"Needs an API key with role {ApiRoles.Name(needs.Role)} or higher.",
            };
            operation.Description = string.IsNullOrEmpty(operation.Description) ? sentence : $"{operation.Description}\n\n{sentence}";
        }
        return Task.CompletedTask;
    }
}
