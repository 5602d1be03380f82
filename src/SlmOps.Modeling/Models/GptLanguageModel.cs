using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Lora;
using SlmOps.Torch;
using SlmOps.Torch.Modules;

namespace SlmOps.Modeling.Models;

/// <summary>A standard pre-LayerNorm causal decoder (see <see cref="GptConfig"/>).</summary>
public sealed class GptLanguageModel : LanguageModel
{
    private readonly Embedding _tokens;
    private readonly Embedding _positions;
    private readonly ModuleList<GptBlock> _blocks;
    private readonly LayerNorm _headNorm;
    private readonly Linear _head;

    public GptLanguageModel(GptConfig config) : base(nameof(GptLanguageModel), config)
    {
        GptConfig = config;
        _tokens = new Embedding(config.VocabSize, config.Width);
        _positions = new Embedding(config.BlockSize, config.Width);
        _blocks = new ModuleList<GptBlock>(Enumerable.Range(0, config.Layers)
            .Select(_ => new GptBlock(config.Width, config.Heads, config.MlpRatio, config.Dropout)));
        _headNorm = new LayerNorm([config.Width]);
        _head = new Linear(config.Width, config.VocabSize, hasBias: false);
        register_module("tok", _tokens);
        register_module("pos", _positions);
        register_module("blocks", _blocks);
        register_module("ln_head", _headNorm);
        register_module("head", _head);
        ScaleInitialEmbeddings();
    }

    public GptConfig GptConfig { get; }

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

    public override Tensor RunBlocks(Tensor x, int? count = null) =>
        BlockRunner.Run(x, count ?? _blocks.Count, i => _blocks[i]);

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
        return torch.nn.functional.dropout(sum, Config.Dropout, training);
    }

    /// <summary>N(0, 1) tables (PyTorch's Embedding default) swamp a narrow residual stream; GPT-2 uses std 0.02.</summary>
    private void ScaleInitialEmbeddings()
    {
        using var _ = torch.no_grad();
        _tokens.weight.mul_(0.02);
        _positions.weight.mul_(0.02);
    }
}
