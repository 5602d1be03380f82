using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace SlmOps.ApiHost.Auth;

/// <summary>Authenticates 'Authorization: Bearer &lt;key&gt;' or 'X-Api-Key: &lt;key&gt;'; challenges with a 401 problem.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey(Request) is not { } key) return AuthenticateResult.NoResult();
        ApiKeyValidation result;
        try
        {
            // Resolved here, not injected: building the data source fails when PostgreSQL is misconfigured.
            var validator = Context.RequestServices.GetRequiredService<ApiKeyValidator>();
            result = await validator.ValidateAsync(key, Scheme.Name, Context.RequestAborted);
        }
        catch (Exception error) when (error is not OperationCanceledException && !EndpointRequiresAuthorization())
        {
            // A client that always sends its key must still get /health and /openapi while PostgreSQL is down;
            // protected endpoints let the error surface as a 500 problem with a trace id.
            Logger.LogWarning("Could not check the API key sent to {Path}, which needs none: {Reason}", Request.Path, error.GetBaseException().Message);
            return AuthenticateResult.NoResult();
        }
        if (result.Principal is null)
        {
            Context.Items[AuthProblems.FailureItem] = result.Failure;
            return AuthenticateResult.Fail(result.Failure!);
        }
        return AuthenticateResult.Success(new AuthenticationTicket(result.Principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => AuthProblems.WriteUnauthorizedAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => AuthProblems.WriteForbiddenAsync(Context, null);

    /// <summary>
    /// Whether the endpoint refuses anonymous callers: any endpoint without [AllowAnonymous] (one without a policy of
    /// its own gets the fallback policy; the sign-in page inherits the pages' viewer policy and opts out, so it must
    /// not fail on the key check). No endpoint (a 404, a static file) needs none.
    /// </summary>
    private bool EndpointRequiresAuthorization() =>
        Context.GetEndpoint()?.Metadata is { } metadata && metadata.GetMetadata<IAllowAnonymous>() is null;

    public static bool HasKeyHeader(HttpRequest request) =>
        request.Headers.ContainsKey(AuthSchemes.ApiKeyHeader) || request.Headers.Authorization.Count > 0;

    /// <summary>The key from X-Api-Key, or from 'Authorization: Bearer'; null when neither carries one.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers[AuthSchemes.ApiKeyHeader].ToString() is { Length: > 0 } header) return header.Trim();
        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) && authorization.Length > bearer.Length
            ? authorization[bearer.Length..].Trim()
            : null;
    }
}
