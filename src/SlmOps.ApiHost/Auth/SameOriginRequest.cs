namespace SlmOps.ApiHost.Auth;

/// <summary>
/// Whether a cookie-authenticated API write came from the dashboard's own origin. The sign-in cookie is SameSite=Lax,
/// which a page on another port of the same host (same site, other origin) passes; so unsafe API methods accept the
/// cookie only when the browser proves the request is same-origin: <c>Sec-Fetch-Site: same-origin</c>, or, where a
/// browser sends no fetch metadata, an <c>Origin</c> equal to this host's scheme://host:port. Requests with neither
/// header are refused. API keys (Authorization / X-Api-Key) never reach this check.
/// </summary>
public static class SameOriginRequest
{
    public const string FetchSiteHeader = "Sec-Fetch-Site";

    /// <summary>Set when the cookie was refused for a cross-origin write, so the 401 can say why.</summary>
    public const string RefusedItem = "slmops:cross-site-cookie";

    public const string Refused =
        "The dashboard's sign-in cookie authenticates API writes (POST, PUT, PATCH, DELETE) only from the dashboard's own origin " +
        "(Sec-Fetch-Site: same-origin, or an Origin header naming this host); this request did not prove it.";

    /// <summary>True for methods that change state (anything but GET, HEAD, OPTIONS, TRACE).</summary>
    public static bool IsUnsafe(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));

    /// <summary>Whether the cookie may authenticate this request: any safe method or non-API path; unsafe API calls only same-origin.</summary>
    public static bool CookieAllowed(HttpRequest request) =>
        !ApiAuthorizationResultHandler.IsApiRequest(request) || !IsUnsafe(request.Method) || IsSameOrigin(request);

    public static bool IsSameOrigin(HttpRequest request)
    {
        var fetchSite = request.Headers[FetchSiteHeader].ToString();
        if (fetchSite.Length > 0) return string.Equals(fetchSite, "same-origin", StringComparison.OrdinalIgnoreCase);
        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && request.Host.HasValue
               && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
               && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
               && Uri.TryCreate($"{request.Scheme}://{request.Host.Value}", UriKind.Absolute, out var self)
               && string.Equals(uri.Authority, self.Authority, StringComparison.OrdinalIgnoreCase);
    }
}
