using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Auth;

/// <summary>
/// Dashboard sign-in: a plain HTML form posts an API key here and gets the cookie. Both endpoints bind the form, so
/// they require the antiforgery token that Blazor's &lt;AntiforgeryToken /&gt; (or EditForm) renders into the form.
/// </summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // Anonymous by nature (the fallback policy would otherwise demand a signed-in caller); antiforgery guards both.
        var account = app.MapGroup("/account").WithTags("Account").ExcludeFromDescription().AllowAnonymous();
        account.MapPost("/signin", SignIn).WithName(nameof(SignIn));
        account.MapPost("/signout", SignOut).WithName(nameof(SignOut));
        return app;
    }

    /// <summary>A worker key belongs to a machine; a person signs in with a viewer key or higher.</summary>
    public const string WorkerKeyRefused =
        "This is a worker key: it cannot sign in to the dashboard. " + AuthProblems.WorkerScope + " Sign in with a viewer key or higher.";

    public static async Task<RedirectHttpResult> SignIn(
        [FromForm] string? apiKey, [FromForm] string? returnUrl, HttpContext context, ApiKeyValidator validator)
    {
        var target = LocalOrRoot(returnUrl);
        if (string.IsNullOrWhiteSpace(apiKey)) return BackToSignIn("Enter an API key.", target);
        var result = await validator.ValidateAsync(apiKey.Trim(), AuthSchemes.Cookie, context.RequestAborted);
        if (result.Principal is null) return BackToSignIn(result.Failure!, target);
        if (ApiRoles.Of(result.Principal) == ApiKeyRole.Worker) return BackToSignIn(WorkerKeyRefused, target);

        await context.SignInAsync(AuthSchemes.Cookie, result.Principal, new AuthenticationProperties { IsPersistent = false });
        return TypedResults.LocalRedirect(target);
    }

    public static async Task<RedirectHttpResult> SignOut([FromForm] string? returnUrl, HttpContext context)
    {
        await context.SignOutAsync(AuthSchemes.Cookie);
        return TypedResults.LocalRedirect(returnUrl is null ? AuthSchemes.SignInPath : LocalOrRoot(returnUrl));
    }

    // Only local paths ("/runs", not "//evil.example" or "https://..."), so the form cannot be used as an open redirect.
    private static string LocalOrRoot(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";

    private static RedirectHttpResult BackToSignIn(string error, string returnUrl) =>
        TypedResults.LocalRedirect(AuthSchemes.SignInPath + QueryString.Create(new Dictionary<string, string?> { ["error"] = error, ["returnUrl"] = returnUrl }));
}
