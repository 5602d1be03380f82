using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SlmOps.ApiHost.Auth;

/// <summary>
/// API keys and the role policies of <see cref="ApiRoles.Policies"/>, shared by every host that serves the API (the web
/// host adds the dashboard cookie on top; the serving host takes keys only).
/// </summary>
public static class ApiKeyAuthExtensions
{
    /// <summary>
    /// The key validator, the API's 401/403 problem answers, the role policies and deny-by-default (the fallback policy:
    /// an endpoint that names no policy needs a viewer or higher). Returns the authentication builder with
    /// <paramref name="defaultScheme"/> as default, for the caller to add its schemes.
    /// </summary>
    public static AuthenticationBuilder AddApiKeysAndRoles(this IServiceCollection services, string defaultScheme)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyValidator>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();
        services.AddAuthorization(options =>
        {
            foreach (var (name, requirement) in ApiRoles.Policies)
            {
                options.AddPolicy(name, policy => policy.AddRequirements(requirement));
            }
            options.FallbackPolicy = new AuthorizationPolicyBuilder().AddRequirements(new FallbackRequirement()).Build();
        });
        return services.AddAuthentication(defaultScheme);
    }

    /// <summary>The API-key scheme (Authorization: Bearer, or X-Api-Key).</summary>
    public static AuthenticationBuilder AddApiKeyScheme(this AuthenticationBuilder builder) =>
        builder.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AuthSchemes.ApiKey, null);
}
