using SlmOps.Torch;

namespace SlmOps.Modeling.Models;

/// <summary>
/// What cached decoding keeps of earlier positions, per layer: two (Slots, Window, Width) tensors. gpt keeps each
/// layer's keys and values; fft keeps its time mixing's inputs h and intermediates M1·h (see
/// <see cref="CausalTimeMixing"/>). Slot s holds one sequence's window positions [0, Window). Which sequence owns which
/// slot is the caller's business; a batch reads a contiguous range of slots (<see cref="CachedRows"/>), so callers keep
/// the slots they decode together at the front (<see cref="CopySlot"/> moves one).
/// </summary>
/// <remarks>
/// Starts zeroed and never holds anything but finite values from real forwards: positions beyond a row's own are
/// masked out, and a masked weight times a stale finite value is exactly zero.
/// </remarks>
public sealed class DecodeCache : IDisposable
{
    private readonly Device _device;
    private readonly ScalarType _dtype;
    private Tensor[] _tensors;      // [2 * layer + part], each (Slots, Window, Width)
    private Tensor[] _flat;         // the same storage as (Slots * Window, Width), what index_copy_ writes

    public DecodeCache(int layers, int window, int width, Device device, ScalarType dtype, int slots = 1)
    {
        if (layers < 0 || window < 1 || width < 1 || slots < 1)
            throw new ArgumentException($"A decode cache needs layers >= 0, window, width and slots >= 1 (got {layers}, {window}, {width}, {slots}).");
        Layers = layers;
        Window = window;
        Width = width;
        _device = device;
        _dtype = dtype;
        (_tensors, _flat) = Allocate(slots);
        Slots = slots;
    }

    public int Layers { get; }
    public int Window { get; }
    public int Width { get; }
    public int Slots { get; private set; }
    public Device Device => _device;

    /// <summary>Bytes held by the cache's tensors.</summary>
    public long Bytes => (long)_tensors.Length * Slots * Window * Width * (_dtype == ScalarType.Float32 ? 4 : 2);

    /// <summary>The (Slots, Window, Width) tensor of <paramref name="part"/> (0 or 1) of a layer; owned by the cache.</summary>
    internal Tensor Part(int layer, int part) => _tensors[2 * layer + part];

    /// <summary>The same storage viewed as (Slots * Window, Width): row slot * Window + position.</summary>
    internal Tensor FlatPart(int layer, int part) => _flat[2 * layer + part];

    /// <summary>Grows (doubling, contents kept) until at least <paramref name="slots"/> slots exist.</summary>
    public void EnsureSlots(int slots)
    {
        if (slots <= Slots) return;
        var grown = Slots;
        while (grown < slots) grown *= 2;
        var (tensors, flat) = Allocate(grown);
        using (torch.no_grad())
        {
            for (var i = 0; i < tensors.Length; i++)
            {
                using var kept = tensors[i].slice(0, 0, Slots);
                kept.copy_(_tensors[i]);
            }
        }
        Free();
        (_tensors, _flat) = (tensors, flat);
        Slots = grown;
    }

    /// <summary>Copies positions [0, <paramref name="positions"/>) of slot <paramref name="from"/> into slot <paramref name="to"/>, every layer.</summary>
    public void CopySlot(int from, int to, int positions) => CopySlot(this, from, to, positions);

    /// <summary>Copies positions [0, <paramref name="positions"/>) of <paramref name="source"/>'s slot <paramref name="from"/> into this cache's slot <paramref name="to"/>, every layer.</summary>
    public void CopySlot(DecodeCache source, int from, int to, int positions)
    {
        if (source.Layers != Layers || source.Width != Width)
            throw new ArgumentException($"A cache of {source.Layers} layers x {source.Width} cannot be copied into one of {Layers} x {Width}.", nameof(source));
        if ((uint)from >= source.Slots || (uint)to >= Slots || positions < 0 || positions > Math.Min(Window, source.Window))
            throw new ArgumentOutOfRangeException(nameof(from), $"Slots {from} -> {to} ({positions} positions) do not fit caches of {source.Slots} x {source.Window} and {Slots} x {Window}.");
        if ((source == this && from == to) || positions == 0) return;
        using var _ = torch.no_grad();
        for (var i = 0; i < _tensors.Length; i++)
        {
            using var fromSlot = source._tensors[i].slice(0, from, from + 1);
            using var toSlot = _tensors[i].slice(0, to, to + 1);
            using var values = fromSlot.slice(1, 0, positions);
            using var target = toSlot.slice(1, 0, positions);
            target.copy_(values);
        }
    }

    private (Tensor[] Tensors, Tensor[] Flat) Allocate(int slots)
    {
        var tensors = new Tensor[2 * Layers];
        var flat = new Tensor[2 * Layers];
        for (var i = 0; i < tensors.Length; i++)
        {
            tensors[i] = torch.zeros([slots, Window, Width], _dtype, _device).DetachFromDisposeScope();
            flat[i] = tensors[i].view(slots * (long)Window, Width).DetachFromDisposeScope();
        }
        return (tensors, flat);
    }

    private void Free()
    {
        foreach (var t in _flat) t.Dispose();
        foreach (var t in _tensors) t.Dispose();
    }

    public void Dispose() => Free();
}
