using SlmOps.Torch;

namespace SlmOps.Modeling.Models;

/// <summary>
/// One cached forward: slots [FirstSlot, FirstSlot + Count) of a <see cref="DecodeCache"/>, each reading
/// <see cref="NewPositions"/> new positions starting at its own window position (a prefill starts at 0 with the whole
/// prompt; a decode step adds one position per row, rows at different lengths). Rows may differ in length: every row
/// reads the cache up to <see cref="Length"/> and <see cref="Visible"/> masks out what a position may not see (later
/// positions, and whatever a shorter row's slot holds beyond its own length).
/// </summary>
public sealed class CachedRows : IDisposable
{
    private readonly Tensor _positions, _flatPositions, _writeIndex, _visible, _hidden;

    public CachedRows(DecodeCache cache, int firstSlot, IReadOnlyList<int> starts, int newPositions)
    {
        if (starts.Count == 0 || newPositions < 1) throw new ArgumentException("A cached forward needs at least one row and one new position.");
        if (firstSlot < 0 || firstSlot + starts.Count > cache.Slots)
            throw new ArgumentOutOfRangeException(nameof(firstSlot), $"Slots {firstSlot}..{firstSlot + starts.Count - 1} do not exist in a cache of {cache.Slots}.");
        if (starts.Any(s => s < 0 || s + newPositions > cache.Window))
            throw new ArgumentOutOfRangeException(nameof(starts), $"Positions [{string.Join(", ", starts)}] + {newPositions} do not fit a window of {cache.Window}.");
        Cache = cache;
        FirstSlot = firstSlot;
        Count = starts.Count;
        NewPositions = newPositions;
        Length = starts.Max() + newPositions;

        var positions = new long[Count * newPositions];
        var writeIndex = new long[positions.Length];
        var visible = new bool[positions.Length * Length];
        for (var b = 0; b < Count; b++)
        {
            for (var i = 0; i < newPositions; i++)
            {
                var row = b * newPositions + i;
                var position = starts[b] + i;
                positions[row] = position;
                writeIndex[row] = (long)(firstSlot + b) * cache.Window + position;
                visible.AsSpan(row * Length, position + 1).Fill(true);
            }
        }
        var device = cache.Device;
        _positions = Upload(torch.tensor(positions, [Count, newPositions]), device);
        _flatPositions = _positions.view(positions.Length).DetachFromDisposeScope();
        _writeIndex = Upload(torch.tensor(writeIndex), device);
        _visible = Upload(torch.tensor(visible, [Count, newPositions, Length]), device);
        _hidden = _visible.logical_not().DetachFromDisposeScope();
    }

    public DecodeCache Cache { get; }
    public int FirstSlot { get; }
    public int Count { get; }
    public int NewPositions { get; }
    /// <summary>How far into the window the longest row reaches after this forward.</summary>
    public int Length { get; }

    /// <summary>(Count, NewPositions) int64: each new position's place in its window (what the position table reads).</summary>
    public Tensor Positions => _positions;
    /// <summary>The same, flattened to (Count * NewPositions).</summary>
    public Tensor FlatPositions => _flatPositions;
    /// <summary>(Count, NewPositions, Length) bool: true where a new position may read a cached position.</summary>
    public Tensor Visible => _visible;
    /// <summary>The complement of <see cref="Visible"/>.</summary>
    public Tensor Hidden => _hidden;

    /// <summary>Stores (Count, NewPositions, Width) values of the new positions into part <paramref name="part"/> of a layer.</summary>
    public void Write(int layer, int part, Tensor values)
    {
        using var rows = values.reshape(Count * (long)NewPositions, Cache.Width);
        Cache.FlatPart(layer, part).index_copy_(0, _writeIndex, rows);
    }

    /// <summary>(Count, Length, Width): this forward's slots up to <see cref="Length"/>, a view of the cache.</summary>
    public Tensor Read(int layer, int part)
    {
        using var slots = Cache.Part(layer, part).slice(0, FirstSlot, FirstSlot + Count);
        return slots.slice(1, 0, Length);
    }

    private static Tensor Upload(Tensor host, Device device)
    {
        if (device.Type == DeviceType.CPU) return host.DetachFromDisposeScope();
        using (host) return host.to(device).DetachFromDisposeScope();
    }

    public void Dispose()
    {
        _hidden.Dispose();
        _visible.Dispose();
        _writeIndex.Dispose();
        _flatPositions.Dispose();
        _positions.Dispose();
    }
}
