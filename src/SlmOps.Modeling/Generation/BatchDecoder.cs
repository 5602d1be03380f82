using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Peft;
using SlmOps.Torch;

namespace SlmOps.Modeling.Generation;

/// <summary>
/// Continuous batching over one resident LLM: sequences join between steps, each with its own follower (or none),
/// options and seed; every <see cref="Step"/> gives each active sequence exactly one new token. A step runs one
/// cached LLM forward over every sequence's new position, then each follower (SLM version) over its own rows, then
/// samples each sequence with its own RNG, so a sequence's tokens do not depend on what else is in the batch.
/// Reading whole windows (a joining prompt, or a sequence longer than its cache) is a forward of its own.
/// A decoder made with a prefix (prefix tuning) serves the LLM reading that prefix before every window's text: the
/// prefix holds cache positions 0..P-1 of every slot (<see cref="DecodePrefix"/>), prompts start at position P, and
/// a sequence's window of text is the LLM's less P.
/// </summary>
/// <remarks>
/// Single-threaded: call it from one inference thread (libtorch's grad mode and dispose scopes are per thread). A
/// sequence's follower must stay alive (not disposed or pooled) until the sequence has left. Outputs equal
/// <see cref="ReferenceGenerator"/>'s, which recomputes every window from scratch (the tests hold both to that).
/// </remarks>
public sealed class BatchDecoder : IDisposable
{
    private readonly LanguageModel _llm;
    private readonly Device _device;
    private readonly CacheSlots _llmSlots;
    private readonly DecodePrefix? _prefix;
    private readonly Dictionary<SlmFollower, CacheSlots> _slmSlots = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(int Layers, int Window, int Width), DecodeCache> _spareCaches = [];
    private readonly List<DecodeSequence> _joining = [];
    private readonly List<DecodeSequence> _wholeWindows = [];
    private long _nextId;

    /// <summary>A decoder for <paramref name="llm"/> with caches for its whole window.</summary>
    /// <param name="prefix">A prefix every sequence reads before its text (its LLM's, checked by weights hash when it was
    /// loaded); such a decoder serves no followers.</param>
    public BatchDecoder(FrozenLlm llm, PrefixSet? prefix = null) : this(llm.Model, null, prefix) { }

    /// <param name="cacheWindow">Positions cached per sequence, the prefix's included (default: the LLM's window). A
    /// sequence longer than that reads whole windows, which is exact, only slower; a caller that knows every sequence is
    /// short saves memory.</param>
    internal BatchDecoder(LanguageModel llm, int? cacheWindow, PrefixSet? prefix = null)
    {
        _llm = llm;
        _llm.eval();
        _device = llm.parameters().First().device;
        _prefix = prefix is null ? null : new DecodePrefix(llm, prefix);
        if (cacheWindow <= Reserved)
            throw new ArgumentOutOfRangeException(nameof(cacheWindow), $"A cache of {cacheWindow} positions leaves none for text after a prefix of {Reserved}.");
        _llmSlots = new CacheSlots(llm.CreateDecodeCache(cacheWindow), Reserved);
    }

    /// <summary>Cache positions before every sequence's text: the prefix's (0 without one).</summary>
    private int Reserved => _prefix?.Length ?? 0;

    /// <summary>Sequences joined and not yet left (the ones the next step serves).</summary>
    public int Count => _joining.Count + _wholeWindows.Count + _llmSlots.Count;

    /// <summary>Bytes held by decode caches (the LLM's, the followers' and spares kept for reuse).</summary>
    public long CacheBytes => _llmSlots.Cache.Bytes + (_prefix?.Bytes ?? 0) + _slmSlots.Values.Sum(s => s.Cache.Bytes) + _spareCaches.Values.Sum(c => c.Bytes);

    /// <summary>
    /// Adds a sequence; it gets its first token at the next <see cref="Step"/>. A prompt longer than the window is read
    /// from its last window's worth of tokens, as the uncached model does.
    /// </summary>
    public DecodeSequence Join(IReadOnlyList<int> prompt, SlmFollower? follower, GenerationOptions options)
    {
        DecodeSequence.CheckPrompt(prompt, _llm.Config.VocabSize);
        if (options.MaxNewTokens < 1) throw new ArgumentOutOfRangeException(nameof(options), $"MaxNewTokens must be at least 1, got {options.MaxNewTokens}.");
        if (follower is not null)
        {
            if (_prefix is not null)
                throw new ArgumentException("This decoder reads a prefix before every window; followers compose with an LLM that has none.", nameof(follower));
            if (follower.Slm.Config.VocabSize != _llm.Config.VocabSize)
                throw new ArgumentException($"The follower's vocabulary ({follower.Slm.Config.VocabSize}) is not the LLM's ({_llm.Config.VocabSize}).", nameof(follower));
            follower.eval();
        }
        var sequence = new DecodeSequence(_nextId++, prompt, follower, options, DecodeSequence.WindowOf(_llm, follower) - Reserved);
        _joining.Add(sequence);
        return sequence;
    }

    /// <summary>Removes a sequence at once (a cancelled request), releasing its cache slots. Harmless if it already left.</summary>
    public void Leave(DecodeSequence sequence)
    {
        if (sequence.Left) return;
        if (!_joining.Remove(sequence) && !_wholeWindows.Remove(sequence)) ReleaseSlots(sequence);
        sequence.Left = true;
    }

    /// <summary>One new token for every sequence; the finished ones leave.</summary>
    public IReadOnlyList<DecodedToken> Step()
    {
        var logits = new List<(DecodeSequence Sequence, float[] Logits)>(Count);
        var toWholeWindows = new List<DecodeSequence>();
        using (torch.no_grad())
        using (torch.NewDisposeScope())
        {
            if (_llmSlots.Count > 0) DecodeCached(logits);
            foreach (var sequence in _joining)
                if (!Prefill(sequence, logits)) toWholeWindows.Add(sequence);
            _joining.Clear();
            foreach (var group in _wholeWindows.GroupBy(s => s.Tokens.Count - s.WholeWindowStart)) ReadWholeWindows(group.ToList(), logits);
        }
        _wholeWindows.AddRange(toWholeWindows);

        var tokens = new List<DecodedToken>(logits.Count);
        foreach (var (sequence, row) in logits)
        {
            var token = sequence.Sampler.Sample(row);
            sequence.Append(token);
            tokens.Add(new DecodedToken(sequence, token, sequence.Finished, row));
            if (sequence.Finished) Leave(sequence);
            else if (sequence.Encoded > 0 && sequence.Encoded == CacheLimit(sequence))
            {
                // The cache is full: from now on the window slides, and sliding re-reads the whole window.
                ReleaseSlots(sequence);
                sequence.Encoded = 0;
                _wholeWindows.Add(sequence);
            }
        }
        return tokens;
    }

    /// <summary>Every cached sequence's one new position: one LLM forward, then one per follower.</summary>
    private void DecodeCached(List<(DecodeSequence, float[])> output)
    {
        var sequences = _llmSlots.Occupants.ToList();
        var ids = sequences.Select(s => (long)s.Tokens[^1]).ToArray();
        var starts = sequences.Select(s => s.WindowStart + s.Encoded).ToArray();
        using var rows = new CachedRows(_llmSlots.Cache, 0, sequences.Select(s => Reserved + s.Encoded).ToList(), 1);
        var pass = new Pass(sequences, ids, 1, 0, starts);
        Forward(pass, rows, (follower, _) =>
        {
            var slots = _slmSlots[follower];
            return (slots.Occupants, new CachedRows(slots.Cache, 0, slots.Occupants.Select(s => s.Encoded).ToList(), 1));
        }, output);
        foreach (var s in sequences) s.Encoded++;
    }

    /// <summary>A joining sequence's prompt window: cached into new slots when it fits them; false when it reads whole windows from now on.</summary>
    private bool Prefill(DecodeSequence sequence, List<(DecodeSequence, float[])> output)
    {
        var start = sequence.WholeWindowStart;
        var length = sequence.Tokens.Count - start;
        sequence.WindowStart = start;
        var ids = sequence.Tokens.Skip(start).Select(t => (long)t).ToArray();
        var pass = new Pass([sequence], ids, length, 0, [start]);
        if (length >= CacheLimit(sequence))
        {
            Forward(pass, null, (_, group) => (group, null), output);
            return false;
        }
        var slot = _llmSlots.Add(sequence);
        _prefix?.CopyInto(_llmSlots.Cache, slot);
        using var rows = new CachedRows(_llmSlots.Cache, slot, [Reserved], length);
        Forward(pass, rows, (follower, group) =>
        {
            var slots = SlotsOf(follower);
            return (group, new CachedRows(slots.Cache, slots.Add(sequence), [0], length));
        }, output);
        sequence.Encoded = length;
        return true;
    }

    /// <summary>Sequences past their cache whose windows have the same length: one uncached forward over each one's window.</summary>
    private void ReadWholeWindows(List<DecodeSequence> sequences, List<(DecodeSequence, float[])> output)
    {
        var length = sequences[0].Tokens.Count - sequences[0].WholeWindowStart;
        var ids = sequences.SelectMany(s => s.Tokens.Skip(s.WholeWindowStart)).Select(t => (long)t).ToArray();
        var pass = new Pass(sequences, ids, length, length - 1, sequences.Select(s => s.WholeWindowStart).ToArray());
        Forward(pass, null, (_, group) => (group, null), output);
    }

    /// <summary>Rows of one forward: B sequences × N positions of ids; draws are needed from position FirstNew on; Starts[b] is the sequence position of row b's first id.</summary>
    private sealed record Pass(IReadOnlyList<DecodeSequence> Sequences, long[] Ids, int Positions, int FirstNew, int[] Starts);

    /// <summary>
    /// The LLM over the pass, then each follower over its own rows (in the order and cache rows <paramref name="slmRows"/>
    /// gives: its cache's slot order for a decode step), then the last position's logits of every row, on the host.
    /// </summary>
    private void Forward(Pass pass, CachedRows? llmRows,
        Func<SlmFollower, IReadOnlyList<DecodeSequence>, (IReadOnlyList<DecodeSequence> Order, CachedRows? Rows)> slmRows,
        List<(DecodeSequence, float[])> output)
    {
        int n = pass.Positions, vocab = _llm.Config.VocabSize;
        var ids = DecodeSequence.Upload(pass.Ids, pass.Sequences.Count, _device);
        var hidden = llmRows is not null ? _llm.RunBlocks(_llm.Embed(ids, llmRows), llmRows)
            : _prefix is not null ? _prefix.Hidden(ids)
            : _llm.RunBlocks(_llm.Embed(ids));
        var draws = pass.Sequences.Any(s => s.Draws is not null);
        // Drawing needs the LLM's logits at every new position; otherwise only the last position's are read.
        var headFrom = draws ? pass.FirstNew : n - 1;
        var llmLogits = _llm.Head(hidden.slice(1, headFrom, n));
        var lastLlm = llmLogits.slice(1, n - headFrom - 1, n - headFrom);
        if (draws)
        {
            var host = llmLogits.ToArray<float>();
            var perRow = (n - headFrom) * vocab;
            for (var b = 0; b < pass.Sequences.Count; b++)
                pass.Sequences[b].Draws?.Draw(host.AsSpan(b * perRow, perRow), pass.Starts[b] + headFrom, vocab);
        }

        var index = new Dictionary<DecodeSequence, int>(ReferenceEqualityComparer.Instance);
        for (var b = 0; b < pass.Sequences.Count; b++) index[pass.Sequences[b]] = b;
        if (pass.Sequences.Any(s => s.Follower is null))
        {
            var host = lastLlm.ToArray<float>();
            for (var b = 0; b < pass.Sequences.Count; b++)
                if (pass.Sequences[b].Follower is null) output.Add((pass.Sequences[b], host.AsSpan(b * vocab, vocab).ToArray()));
        }
        foreach (var group in pass.Sequences.Where(s => s.Follower is not null).GroupBy(s => s.Follower!))
        {
            var follower = group.Key;
            var (order, rows) = slmRows(follower, group.ToList());
            using (rows)
            {
                var composed = Compose(follower, order, rows, pass, index, ids, lastLlm, hidden);
                var host = composed.ToArray<float>();
                for (var j = 0; j < order.Count; j++) output.Add((order[j], host.AsSpan(j * vocab, vocab).ToArray()));
            }
        }
    }

    /// <summary>One follower over its rows of the pass (gathered from the LLM's outputs in the follower's order).</summary>
    private Tensor Compose(SlmFollower follower, IReadOnlyList<DecodeSequence> order, CachedRows? rows, Pass pass,
        Dictionary<DecodeSequence, int> index, Tensor ids, Tensor lastLlm, Tensor hidden)
    {
        var picked = order.Select(s => (long)index[s]).ToArray();
        var identity = picked.Length == pass.Sequences.Count && picked.Select((p, i) => p == i).All(x => x);
        var select = identity ? null : DecodeSequence.Upload(picked, 1, _device).view(picked.Length);
        Tensor Rows(Tensor t) => select is null ? t : t.index_select(0, select);

        Tensor slmIds;
        if (follower.Options.Mode == CouplingMode.Tokens)
        {
            var drawn = order.SelectMany(s => s.Draws!.Window(pass.Starts[index[s]], pass.Starts[index[s]] + pass.Positions)).ToArray();
            slmIds = DecodeSequence.Upload(drawn, order.Count, _device);
        }
        else slmIds = Rows(ids);
        var llmHidden = follower.Options.Mode == CouplingMode.Hidden ? Rows(hidden) : null;
        return follower.Compose(slmIds, Rows(lastLlm), llmHidden, rows, lastOnly: true);
    }

    /// <summary>How many positions of text a sequence can keep cached: its window, bounded by its caches' windows (less the prefix's).</summary>
    private int CacheLimit(DecodeSequence sequence)
    {
        var limit = Math.Min(sequence.Window, _llmSlots.Cache.Window - Reserved);
        return sequence.Follower is null ? limit : Math.Min(limit, SlmCacheWindow(sequence.Follower));
    }

    private int SlmCacheWindow(SlmFollower follower) => Math.Min(follower.Slm.Config.BlockSize, _llmSlots.Cache.Window);

    private CacheSlots SlotsOf(SlmFollower follower)
    {
        if (_slmSlots.TryGetValue(follower, out var slots)) return slots;
        var cfg = follower.Slm.Config;
        var key = (cfg.Layers, SlmCacheWindow(follower), cfg.Width);
        if (!_spareCaches.Remove(key, out var cache)) cache = follower.Slm.CreateDecodeCache(key.Item2);
        return _slmSlots[follower] = new CacheSlots(cache);
    }

    private void ReleaseSlots(DecodeSequence sequence)
    {
        _llmSlots.Remove(sequence);
        if (sequence.Follower is null || !_slmSlots.TryGetValue(sequence.Follower, out var slots)) return;
        slots.Remove(sequence);
        if (slots.Count > 0) return;
        // The follower may be evicted and disposed once its last sequence leaves: keep its cache, not a reference to it.
        _slmSlots.Remove(sequence.Follower);
        var cache = slots.Cache;
        var key = (cache.Layers, cache.Window, cache.Width);
        if (_spareCaches.Remove(key, out var spare))
        {
            if (spare.Slots > cache.Slots) (spare, cache) = (cache, spare);
            spare.Dispose();
        }
        _spareCaches[key] = cache;
    }

    public void Dispose()
    {
        _llmSlots.Cache.Dispose();
        _prefix?.Dispose();
        foreach (var slots in _slmSlots.Values) slots.Cache.Dispose();
        foreach (var cache in _spareCaches.Values) cache.Dispose();
        _slmSlots.Clear();
        _spareCaches.Clear();
    }
}

/// <summary>One sequence's token from a <see cref="BatchDecoder.Step"/>, and the logits (V floats) it was sampled from.</summary>
public sealed record DecodedToken(DecodeSequence Sequence, int Token, bool Finished, float[] Logits);
