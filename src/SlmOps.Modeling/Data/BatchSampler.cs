namespace SlmOps.Modeling.Data;

/// <summary>Where a sampler is: enough to continue the exact same sequence of batches after a restart.</summary>
public sealed record SamplerState(ulong RngState, long BatchesDrawn);

/// <summary>A batch of B blocks: X[b, t] = tokens[o_b + t], Y[b, t] = tokens[o_b + t + 1], row-major (B*T).</summary>
public sealed record TokenBatch(int BatchSize, int BlockSize, long[] X, long[] Y);

/// <summary>Which part of every global batch one rank of a data-parallel run reads.</summary>
public sealed record DataShard(int Rank, int WorldSize)
{
    public static DataShard Whole { get; } = new(0, 1);
}

/// <summary>
/// Draws training batches of random blocks from a token array with a seeded, resumable RNG.
/// With a <see cref="DataShard"/>, every rank draws the same global batch of BatchSize × WorldSize blocks (the same
/// RNG stream on every rank) and keeps its own BatchSize rows, so the ranks together read exactly what one process
/// with the whole batch would, and the sampler's state is the same on every rank (one checkpoint resumes them all).
/// </summary>
public sealed class BatchSampler
{
    private readonly int[] _tokens;
    private SplitMix64 _rng;

    private readonly DataShard _shard;

    public BatchSampler(int[] tokens, int batchSize, int blockSize, ulong seed, DataShard? shard = null)
    {
        _shard = shard ?? DataShard.Whole;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_shard.WorldSize);
        if (_shard.Rank < 0 || _shard.Rank >= _shard.WorldSize)
            throw new ArgumentOutOfRangeException(nameof(shard), $"Rank {_shard.Rank} is outside a world of {_shard.WorldSize}.");
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
        var mine = _shard.Rank * BatchSize;
        for (var g = 0; g < BatchSize * _shard.WorldSize; g++)
        {
            var o = (int)_rng.NextBelow(starts); // every rank draws every offset: the stream stays shared
            var b = g - mine;
            if (b < 0 || b >= BatchSize) continue;
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
