namespace SlmOps.Web.Serving;

/// <summary>
/// Settings under <c>ServingHost:</c>: where the serving host (src/SlmOps.Serving) answers. The web host loads no model
/// itself; it forwards <c>POST /api/v1/generate</c> and <c>GET /api/v1/serving/status</c> there, and the playground
/// generates through it.
/// </summary>
public sealed class ServingHostOptions
{
    public const string Section = "ServingHost";

    /// <summary>The serving host's base URL, e.g. http://127.0.0.1:5090. Empty: generation answers 503 naming this setting.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// The API key this web host presents for callers signed in with the dashboard cookie (the playground, cookie calls of
    /// /api/v1/generate), which the serving host cannot read. Callers with a key of their own are forwarded with it.
    /// </summary>
    public string? Key { get; set; }
}
