namespace SlmOps.Torch.Modules;

/// <summary>
/// While open on this thread, Linear, Embedding and LayerNorm allocate their parameters with torch.empty instead of
/// drawing PyTorch's default initialisation (like PyTorch's <c>torch.nn.utils.skip_init</c>). For modules whose values
/// a checkpoint overwrites at once; every parameter built inside must be loaded before use. Scopes nest; the state is
/// per thread (construct on the thread that opened it, never across <c>await</c>).
/// </summary>
public sealed class NoInitScope : IDisposable
{
    [ThreadStatic]
    private static int _depth;

    private bool _disposed;

    internal NoInitScope() => _depth++;

    /// <summary>True while a scope is open on this thread.</summary>
    public static bool IsActive => _depth > 0;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _depth--;
    }
}
