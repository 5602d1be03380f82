namespace SlmOps.Modeling.Data;

/// <summary>Where a sampler is: enough to continue the exact same sequence of batches after a restart.</summary>
public sealed record SamplerState(ulong RngState, long BatchesDrawn);

/// <summary>A batch of B blocks: X[b, t] = tokens[o_b + t], Y[b, t] = tokens[o_b + t + 1], row-major (B*T).</summary>
public sealed record TokenBatch(int BatchSize, int BlockSize, long[] X, long[] Y);

/// <summary>
/// Draws training batches of random blocks from a token array with a seeded, resumable RNG.
/// </summary>
public sealed class BatchSampler
{
    private readonly int[] _tokens;
    private SplitMix64 _rng;

    public BatchSampler(int[] tokens, int batchSize, int blockSize, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        if (tokens.Length < blockSize + 1)
            throw new ArgumentException($"{tokens.Length} tokens cannot fill one block of {blockSize} plus its shifted target.", nameof(tokens));
        _tokens = tokens;
        BatchSize = batchSize;
        BlockSize = blockSize;
        _rng = new SplitMix64(seed);
    }

    public int BatchSize { get; }
    public int BlockSize { get; }
    public long BatchesDrawn { get; private set; }

    public SamplerState State => new(_rng.State, BatchesDrawn);

    public void Restore(SamplerState state)
    {
        _rng = new SplitMix64(state.RngState);
        BatchesDrawn = state.BatchesDrawn;
    }

    public TokenBatch Next()
    {
        var x = new long[BatchSize * BlockSize];
        var y = new long[BatchSize * BlockSize];
        var starts = _tokens.Length - BlockSize; // last valid start leaves room for the target
        for (var b = 0; b < BatchSize; b++)
        {
            var o = (int)_rng.NextBelow(starts);
            for (var t = 0; t < BlockSize; t++)
            {
                x[b * BlockSize + t] = _tokens[o + t];
                y[b * BlockSize + t] = _tokens[o + t + 1];
            }
        }
        BatchesDrawn++;
        return new TokenBatch(BatchSize, BlockSize, x, y);
    }

    /// <summary>
    /// Consecutive non-overlapping blocks from the start, for evaluation that must see the same data every
    /// time; at most <paramref name="maxBatches"/> batches (the last one may have fewer rows).
    /// </summary>
    public static IEnumerable<TokenBatch> Sequential(int[] tokens, int batchSize, int blockSize, int maxBatches = int.MaxValue)
    {
        var blocks = (tokens.Length - 1) / blockSize;
        for (var first = 0; first < blocks && first / batchSize < maxBatches; first += batchSize)
        {
            var rows = Math.Min(batchSize, blocks - first);
            var x = new long[rows * blockSize];
            var y = new long[rows * blockSize];
            for (var r = 0; r < rows; r++)
                for (var t = 0; t < blockSize; t++)
                {
                    var o = (first + r) * blockSize + t;
                    x[r * blockSize + t] = tokens[o];
                    y[r * blockSize + t] = tokens[o + 1];
                }
            yield return new TokenBatch(rows, blockSize, x, y);
        }
    }
}
