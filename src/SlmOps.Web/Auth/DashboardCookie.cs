using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Auth;

/// <summary>The dashboard's sign-in cookie: made from an API key, re-checked against the key on every request.</summary>
public static class DashboardCookie
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = AuthSchemes.CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = Lifetime;
        options.SlidingExpiration = true;
        options.LoginPath = AuthSchemes.SignInPath;
        options.AccessDeniedPath = AuthSchemes.SignInPath;
        options.ReturnUrlParameter = "returnUrl";
        options.Events.OnValidatePrincipal = ValidateKeyStillActiveAsync;
        options.Events.OnRedirectToLogin = context => ApiAuthorizationResultHandler.IsApiRequest(context.Request)
            ? AuthProblems.WriteUnauthorizedAsync(context.HttpContext)
            : Redirect(context);
        options.Events.OnRedirectToAccessDenied = context => ApiAuthorizationResultHandler.IsApiRequest(context.Request)
            ? AuthProblems.WriteForbiddenAsync(context.HttpContext, null)
            : Redirect(context);
    }

    // A revoked or expired key ends its dashboard sessions too; a changed role or team never outlives the request.
    // Cross-origin API writes are refused first (the session stays: the dashboard's own tab keeps working).
    private static async Task ValidateKeyStillActiveAsync(CookieValidatePrincipalContext context)
    {
        if (!SameOriginRequest.CookieAllowed(context.Request))
        {
            context.HttpContext.Items[SameOriginRequest.RefusedItem] = SameOriginRequest.Refused;
            context.RejectPrincipal();
            return;
        }
        var prefix = context.Principal is { } user ? ApiKeyPrincipal.PrefixOf(user) : null;
        var validator = context.HttpContext.RequestServices.GetRequiredService<ApiKeyValidator>();
        var key = prefix is null ? null : await validator.FindActiveAsync(prefix, context.HttpContext.RequestAborted);
        // A worker key never signs in (AccountEndpoints refuses it); a cookie that names one is refused all the same.
        if (key is null || key.Role == ApiKeyRole.Worker)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AuthSchemes.Cookie);
            return;
        }
        if (ApiRoles.Of(context.Principal!) != key.Role || ApiKeyPrincipal.TeamOf(context.Principal!) != key.Team)
        {
            context.ReplacePrincipal(ApiKeyPrincipal.Create(key, AuthSchemes.Cookie));
            context.ShouldRenew = true;
        }
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
