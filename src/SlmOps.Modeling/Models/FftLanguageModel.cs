using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Lora;
using SlmOps.Torch;
using SlmOps.Torch.Modules;

namespace SlmOps.Modeling.Models;

/// <summary>The paper's model (see <see cref="FftConfig"/> for the shape and the parameter count).</summary>
public sealed class FftLanguageModel : LanguageModel
{
    private readonly Embedding _tokens;
    private readonly Embedding _positions;
    private readonly LayerNorm _embeddingNorm;
    private readonly Linear _unify;
    private readonly ModuleList<FftBlock> _blocks;
    private readonly LayerNorm _headNorm;
    private readonly Linear _head;

    /// <param name="initialize">False to build for loading (see <see cref="ModelFactory.CreateForLoading"/>).</param>
    public FftLanguageModel(FftConfig config, bool initialize = true) : base(nameof(FftLanguageModel), config)
    {
        FftConfig = config;
        _tokens = new Embedding(config.VocabSize, config.EmbeddingDim);
        _positions = new Embedding(config.BlockSize, config.EmbeddingDim);
        _embeddingNorm = new LayerNorm([config.EmbeddingDim]);
        _unify = new Linear(config.EmbeddingDim, config.Width);
        _blocks = new ModuleList<FftBlock>(Enumerable.Range(0, config.Layers)
            .Select(_ => new FftBlock(config.Width, config.EmbeddingDim, config.BlockSize, initialize)));
        _headNorm = new LayerNorm([config.Width]);
        _head = new Linear(config.Width, config.VocabSize);
        register_module("tok", _tokens);
        register_module("pos", _positions);
        register_module("ln_emb", _embeddingNorm);
        register_module("unify", _unify);
        register_module("blocks", _blocks);
        register_module("ln_head", _headNorm);
        register_module("head", _head);
    }

    public FftConfig FftConfig { get; }
    public IReadOnlyList<FftBlock> Blocks => _blocks;

    public override Tensor Embed(Tensor ids, int positionOffset = 0)
    {
        CheckWindow(ids, positionOffset);
        using var pos = _positions.weight.slice(0, positionOffset, positionOffset + ids.shape[1]);
        return Embed(ids, pos);
    }

    public override int BlockCount => _blocks.Count;

    public override torch.nn.Module<Tensor, Tensor> Block(int index) => _blocks[index];

    public override Tensor Embed(Tensor ids, CachedRows rows)
    {
        CheckWindow(ids, rows);
        using var pos = _positions.forward(rows.Positions);
        return Embed(ids, pos);
    }

    public override Tensor RunBlocks(Tensor x, int? count = null)
    {
        var n = count ?? _blocks.Count;
        return BlockRunner.Run(x, n, i => _blocks[i]);
    }

    public override Tensor RunBlocks(Tensor x, CachedRows rows) => BlockRunner.Run(x, _blocks.Count, (i, h) => RunBlock(i, h, rows));

    public override Tensor RunBlock(int index, Tensor x, CachedRows rows) => _blocks[index].forward(x, rows, index);

    public override Tensor Head(Tensor x)
    {
        using var norm = _headNorm.forward(x);
        return LinearAdapters.Forward(_head, norm);
    }

    private Tensor Embed(Tensor ids, Tensor pos)
    {
        using var tok = _tokens.forward(ids);
        using var sum = tok + pos;
        using var norm = _embeddingNorm.forward(sum);
        return LinearAdapters.Forward(_unify, norm);
    }

    public override void AfterOptimizerStep()
    {
        foreach (var block in _blocks) block.Mixing.EnforceLowerTriangular();
    }
}
