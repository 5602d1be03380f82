using SlmOps.Modeling.Models;

namespace SlmOps.Modeling.Generation;

/// <summary>
/// Which sequence holds which slot of one <see cref="DecodeCache"/>: slot i is <see cref="Occupants"/>[i]. Occupied
/// slots are always [0, Count), so a decode step over all of them reads one view of the cache; a sequence that
/// leaves gets the last occupant moved into its slot, with the <paramref name="reserved"/> positions before its own
/// (a prefix's) that every slot holds.
/// </summary>
internal sealed class CacheSlots(DecodeCache cache, int reserved = 0)
{
    private readonly List<DecodeSequence> _occupants = [];

    public DecodeCache Cache { get; } = cache;
    public IReadOnlyList<DecodeSequence> Occupants => _occupants;
    public int Count => _occupants.Count;

    public int Add(DecodeSequence sequence)
    {
        Cache.EnsureSlots(_occupants.Count + 1);
        _occupants.Add(sequence);
        return _occupants.Count - 1;
    }

    /// <summary>Frees <paramref name="sequence"/>'s slot (if it holds one), keeping the occupied slots contiguous.</summary>
    public void Remove(DecodeSequence sequence)
    {
        var slot = _occupants.IndexOf(sequence);
        if (slot < 0) return;
        var last = _occupants.Count - 1;
        if (slot != last)
        {
            Cache.CopySlot(last, slot, reserved + _occupants[last].Encoded);
            _occupants[slot] = _occupants[last];
        }
        _occupants.RemoveAt(last);
    }
}
