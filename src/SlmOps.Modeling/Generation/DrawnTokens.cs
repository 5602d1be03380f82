using SlmOps.Modeling.Coupling;

namespace SlmOps.Modeling.Generation;

/// <summary>
/// Tokens coupling's SLM input for one generation: at each position of the sequence, one token drawn from the LLM's
/// distribution at that position, drawn the first time the LLM reads the position and kept with the sequence. Drawing
/// once (rather than re-drawing every window position at every step) is what lets a cache keep the SLM's earlier
/// positions; the uncached reference and cached decoding both draw here, in position order, with the request's own RNG.
/// </summary>
internal sealed class DrawnTokens(CouplingOptions coupling, GenerationOptions options)
{
    private readonly TokenSampler _rng = new(options with
    {
        Seed = options.Seed ^ 0x5DEECE66DUL,
        TopK = null,
        Temperature = coupling.Argmax ? 0 : coupling.Temperature,
    });
    private readonly List<long> _drawn = [];
    private int _first = -1;

    /// <summary>The first position not drawn yet.</summary>
    public int End => _first < 0 ? 0 : _first + _drawn.Count;

    /// <summary>
    /// Draws, in order, every position of [<paramref name="firstPosition"/>, firstPosition + rows) not drawn yet, from
    /// <paramref name="logits"/>: rows × <paramref name="vocab"/> LLM logits, one row per position.
    /// </summary>
    public void Draw(ReadOnlySpan<float> logits, int firstPosition, int vocab)
    {
        var rows = logits.Length / vocab;
        if (_first < 0) _first = firstPosition;
        if (firstPosition > End) throw new InvalidOperationException($"Positions {End}..{firstPosition - 1} were never drawn.");
        for (var position = End; position < firstPosition + rows; position++)
            _drawn.Add(_rng.Sample(logits.Slice((position - firstPosition) * vocab, vocab)));
    }

    /// <summary>The drawn tokens of positions [start, end).</summary>
    public long[] Window(int start, int end)
    {
        if (start < _first || end > End) throw new InvalidOperationException($"Positions {start}..{end - 1} are not all drawn ({_first}..{End - 1} are).");
        return _drawn.GetRange(start - _first, end - start).ToArray();
    }
}
