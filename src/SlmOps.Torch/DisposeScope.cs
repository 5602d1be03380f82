namespace SlmOps.Torch;

/// <summary>
/// Collects every tensor created on this thread while it is the innermost scope and disposes them
/// when it ends, so a training step's temporaries are freed at once instead of by the GC.
/// Scopes are per thread and nest; do not carry one across an <c>await</c>.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic]
    private static DisposeScope? current;

    private readonly List<Tensor> tensors = [];
    private bool disposed;

    internal DisposeScope()
    {
        Outer = current;
        current = this;
    }

    /// <summary>The scope that was innermost when this one began.</summary>
    public DisposeScope? Outer { get; }

    internal static DisposeScope? Current => current;

    /// <summary>Tensors this scope will dispose.</summary>
    public int Count
    {
        get
        {
            var n = 0;
            foreach (var t in tensors)
            {
                if (t.OwnerScope == this)
                {
                    n++;
                }
            }

            return n;
        }
    }

    /// <summary>Hands <paramref name="tensor"/> to the enclosing scope (or to nobody at the outermost level).</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.OwnerScope == this)
        {
            tensor.OwnerScope = null;
            Outer?.Adopt(tensor);
        }

        return tensor;
    }

    public void MoveToOuter(params Tensor[] tensorsToMove)
    {
        foreach (var t in tensorsToMove)
        {
            MoveToOuter(t);
        }
    }

    /// <summary>Stops managing <paramref name="tensor"/>; the caller now owns it.</summary>
    public Tensor Detach(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.OwnerScope == this)
        {
            tensor.OwnerScope = null;
        }

        return tensor;
    }

    /// <summary>Registers a tensor that this scope should dispose (no-op when it already belongs to this scope).</summary>
    public Tensor Include(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.OwnerScope != this)
        {
            tensor.OwnerScope?.Detach(tensor);
            Adopt(tensor);
        }

        return tensor;
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var t in tensors)
        {
            if (t.OwnerScope == this)
            {
                t.OwnerScope = null;
                t.Dispose();
            }
        }

        tensors.Clear();
        if (current == this)
        {
            current = Outer;
        }
    }

    internal static void Register(Tensor tensor)
    {
        var scope = current;
        scope?.Adopt(tensor);
    }

    private void Adopt(Tensor tensor)
    {
        tensor.OwnerScope = this;
        tensors.Add(tensor);
    }
}
