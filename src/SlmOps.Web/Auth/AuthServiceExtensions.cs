using SlmOps.ApiHost.Auth;
using SlmOps.Web.Auth;

namespace Microsoft.Extensions.DependencyInjection;

public static class AuthServiceExtensions
{
    /// <summary>
    /// API keys (header) and the dashboard cookie behind one default scheme, the role policies of
    /// <see cref="ApiRoles.Policies"/> ("viewer" ... "admin" each admitting the higher roles, their "-or-worker"
    /// variants, "worker"), and antiforgery for the sign-in forms.
    /// </summary>
    public static IServiceCollection AddSlmOpsAuth(this IServiceCollection services)
    {
        services.AddScoped<ApiKeyService>();
        services.AddApiKeysAndRoles(AuthSchemes.Default)
            .AddPolicyScheme(AuthSchemes.Default, "API key or dashboard cookie", options =>
                options.ForwardDefaultSelector = context =>
                    ApiKeyAuthenticationHandler.HasKeyHeader(context.Request) ? AuthSchemes.ApiKey : AuthSchemes.Cookie)
            .AddApiKeyScheme()
            .AddCookie(AuthSchemes.Cookie, DashboardCookie.Configure);
        services.AddAntiforgery();
        return services;
    }

    /// <summary>The API-key security schemes and each operation's requirement and least role, in the OpenAPI document.</summary>
    public static Microsoft.AspNetCore.OpenApi.OpenApiOptions AddApiKeySecurity(this Microsoft.AspNetCore.OpenApi.OpenApiOptions options)
    {
        var transformer = new ApiKeyOpenApiTransformer();
        options.AddDocumentTransformer(transformer);
        options.AddOperationTransformer(transformer);
        return options;
    }

    /// <summary>
    /// Authentication, then authorization. Call before MapDashboard: its UseAntiforgery (which also guards
    /// /account/signin and /account/signout) must come after both.
    /// </summary>
    public static WebApplication UseSlmOpsAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
