namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Headers on every answer (pages, API, problems, static files): no MIME sniffing, never framed by another site
/// (clickjacking: X-Frame-Options for old browsers, CSP frame-ancestors for the rest), and no full URL in the
/// Referer sent to other origins.
/// </summary>
public static class SecurityHeaders
{
    public static readonly IReadOnlyDictionary<string, string> Values = new Dictionary<string, string>
    {
        ["X-Content-Type-Options"] = "nosniff",
        ["X-Frame-Options"] = "DENY",
        ["Content-Security-Policy"] = "frame-ancestors 'none'",
        ["Referrer-Policy"] = "strict-origin-when-cross-origin",
    };

    /// <summary>Register first. Set when the response starts, so answers the exception handler rewrites keep them.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                // Overwrites: antiforgery sets X-Frame-Options: SAMEORIGIN on pages with a form; nothing here is framed.
                foreach (var (name, value) in Values) context.Response.Headers[name] = value;
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
