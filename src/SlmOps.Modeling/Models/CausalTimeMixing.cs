using SlmOps.Torch;

namespace SlmOps.Modeling.Models;

/// <summary>
/// The fft model's time mixing: two T×T lower-triangular matrices applied along the time axis with
/// no bias or activation between. out[b, i, :] = Σ_{j ≤ i} M2[i, ·] (M1 h)[b, ·, :] — the same as
/// the paper's "transpose to (B, E, T) and multiply", without materializing the transpose.
/// </summary>
/// <remarks>
/// Exact zeros above the diagonal are kept three ways: initialization is lower-triangular; forward
/// uses tril(M), so the gradient above the diagonal is exactly zero (AdamW then moves nothing there
/// and decoupled weight decay only rescales zero); and <see cref="EnforceLowerTriangular"/> re-zeroes
/// after every optimizer step, so nothing (a loaded checkpoint, another optimizer) can leak in.
/// Because M is lower-triangular, its top-left t×t block run on t tokens gives exactly the full
/// model's first t outputs.
/// </remarks>
public sealed class CausalTimeMixing : torch.nn.Module<Tensor, Tensor>
{
    /// <param name="initialize">False when a checkpoint is about to overwrite the values: the matrices are left
    /// unset (torch.empty) instead of drawn, which is most of the cost of building an fft model.</param>
    public CausalTimeMixing(int blockSize, bool initialize = true) : base(nameof(CausalTimeMixing))
    {
        BlockSize = blockSize;
        register_parameter("mix1", torch.nn.Parameter(initialize ? InitLowerTriangular(blockSize) : torch.empty([blockSize, blockSize])));
        register_parameter("mix2", torch.nn.Parameter(initialize ? InitLowerTriangular(blockSize) : torch.empty([blockSize, blockSize])));
    }

    public int BlockSize { get; }
    public Tensor Mix1 => get_parameter("mix1")!;
    public Tensor Mix2 => get_parameter("mix2")!;

    public override Tensor forward(Tensor h)
    {
        var t = h.shape[1];
        using var m1 = Crop(Mix1, t);
        using var m2 = Crop(Mix2, t);
        using var once = torch.matmul(m1, h);
        return torch.matmul(m2, once);
    }

    /// <summary>
    /// The mixing of new positions only, through a cache (parts 0 and 1 of <paramref name="layer"/>) of the inputs h and
    /// the intermediates M1·h of earlier positions: exact because M is lower-triangular, so earlier positions' values
    /// never change. A new position i costs one row of each matrix: (M1 h)_i = M1[i, ≤i]·h, out_i = M2[i, ≤i]·(M1 h).
    /// </summary>
    public Tensor forward(Tensor h, CachedRows rows, int layer)
    {
        rows.Write(layer, 0, h);
        using var once = MixRows(Mix1, rows, layer, 0);
        rows.Write(layer, 1, once);
        return MixRows(Mix2, rows, layer, 1);
    }

    public void EnforceLowerTriangular()
    {
        using var _ = torch.no_grad();
        foreach (var m in new[] { Mix1, Mix2 })
        {
            using var lower = m.tril();
            m.copy_(lower);
        }
    }

    /// <summary>Rows of tril(M) at the new positions (the mask reads only the lower triangle, as Crop does), times the cached part.</summary>
    private static Tensor MixRows(Tensor m, CachedRows rows, int layer, int part)
    {
        using var columns = m.slice(1, 0, rows.Length);
        using var picked = columns.index_select(0, rows.FlatPositions);
        using var shaped = picked.view(rows.Count, rows.NewPositions, rows.Length);
        using var visible = shaped.masked_fill(rows.Hidden, 0);
        using var past = rows.Read(layer, part);
        return visible.bmm(past);
    }

    private static Tensor Crop(Tensor m, long t)
    {
        if (t == m.shape[0]) return m.tril();
        using var rows = m.slice(0, 0, t);
        using var block = rows.slice(1, 0, t);
        return block.tril();
    }

    /// <summary>Row i has fan-in i+1, so it is drawn from U(-1/√(i+1), 1/√(i+1)) like a Linear layer's init.</summary>
    private static Tensor InitLowerTriangular(int t)
    {
        using var _ = torch.no_grad();
        using var u = torch.rand([t, t]);
        using var centered = u * 2.0 - 1.0;
        using var fanIn = torch.arange(1, t + 1, 1, ScalarType.Float32);
        using var scale = fanIn.rsqrt();
        using var column = scale.unsqueeze(1);
        using var scaled = centered * column;
        return scaled.tril();
    }
}
