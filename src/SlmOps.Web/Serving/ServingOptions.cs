namespace SlmOps.Web.Serving;

/// <summary>Settings under <c>Serving:</c>.</summary>
public sealed class ServingOptions
{
    public const string Section = "Serving";

    /// <summary>Upper bound on the bytes of parameters of the cached SLM versions (least recently used go first).</summary>
    public long CacheBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>The largest max_tokens a request may ask for.</summary>
    public int MaxTokens { get; set; } = 512;
}
