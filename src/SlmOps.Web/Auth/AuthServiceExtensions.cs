using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyValidator>();
        services.AddScoped<ApiKeyService>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();

        services.AddAuthentication(AuthSchemes.Default)
            .AddPolicyScheme(AuthSchemes.Default, "API key or dashboard cookie", options =>
                options.ForwardDefaultSelector = context =>
                    ApiKeyAuthenticationHandler.HasKeyHeader(context.Request) ? AuthSchemes.ApiKey : AuthSchemes.Cookie)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AuthSchemes.ApiKey, null)
            .AddCookie(AuthSchemes.Cookie, DashboardCookie.Configure);

        services.AddAuthorization(options =>
        {
            foreach (var (name, requirement) in ApiRoles.Policies)
            {
                options.AddPolicy(name, policy => policy.AddRequirements(requirement));
            }
            options.FallbackPolicy = new AuthorizationPolicyBuilder().AddRequirements(new FallbackRequirement()).Build();
        });
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
