namespace SlmOps.Serving;

/// <summary>Settings under <c>Serving:</c>.</summary>
public sealed class ServingOptions
{
    public const string Section = "Serving";

    /// <summary>Upper bound on the bytes of parameters of the cached SLM versions (least recently used go first).</summary>
    public long CacheBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Bytes of evicted SLMs' parameter memory kept for reuse by the next load of the same shape (0: none).</summary>
    public long PoolBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>Upper bound on the bytes of parameters of the resident LLMs (idle ones, least recently used first, are unloaded).</summary>
    public long LlmBytes { get; set; } = 8L * 1024 * 1024 * 1024;

    /// <summary>The largest maxTokens a request may ask for.</summary>
    public int MaxTokens { get; set; } = 512;

    /// <summary>Sequences generated together on one LLM (continuous batching); more wait for a place.</summary>
    public int MaxBatch { get; set; } = 16;

    /// <summary>Sequences that may wait for a place in the batch; beyond that a request is answered 429 with Retry-After.</summary>
    public int MaxQueued { get; set; } = 64;

    /// <summary>Local folder of the model files serving fetched (a verified LRU cache); default Artifacts:Root/serving-cache.</summary>
    public string? FilesRoot { get; set; }

    /// <summary>Bound of that folder in bytes; default 20 GiB.</summary>
    public long FilesBytes { get; set; } = 20L << 30;

    /// <summary>
    /// Another web host's base URL to fetch model files from (its artifact service), for a web instance that does not
    /// share the artifact store; empty = this host's own store. Needs <see cref="ArtifactsKey"/> (a viewer or worker key).
    /// </summary>
    public string? ArtifactsUrl { get; set; }

    public string? ArtifactsKey { get; set; }
}
