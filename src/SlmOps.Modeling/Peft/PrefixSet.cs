using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Models;
using SlmOps.Torch;

namespace SlmOps.Modeling.Peft;

public sealed record PrefixConfig(int Length, int Layers, long Width, string BaseModelWeightsSha256);

/// <summary>
/// Prefix tuning (Li and Liang): P trainable vectors per layer that stand, at every block, for the residual stream of
/// P virtual positions before the text. Block i reads [prefix_i; h] and its outputs at the prefix positions are dropped
/// (the next block reads its own prefix there), so every layer's prefix is trained directly; the frozen model's
/// weights are never touched. The text is read at window positions P..P+t-1, so a model of window T takes at most
/// T - P tokens of text.
/// </summary>
/// <remarks>
/// How a prefix enters the fft architecture's time mixing: the prefix occupies window positions 0..P-1, and the
/// lower-triangular mixing matrices read it with their own trained weights M[i, j &lt; P], exactly as they read the
/// first tokens of a window; in gpt the attention reads the prefix's keys and values the same way. So one definition
/// covers both architectures and nothing about the model changes but what sits at the first P positions.
/// </remarks>
public sealed class PrefixSet : torch.nn.Module, IAttachedModules
{
    public const string Kind = "prefix";

    private PrefixSet(PrefixConfig config) : base(nameof(PrefixSet)) => Config = config;

    public PrefixConfig Config { get; }
    public int Length => Config.Length;
    public Tensor Layer(int index) => get_parameter($"layer{index}")!;

    /// <summary>Refuses a prefix that leaves no window position for the text, naming the window.</summary>
    public static void Validate(int blockSize, int length) => PeftLimits.Ensure(PeftLimits.PrefixLength(blockSize, length));

    /// <summary>
    /// A prefix for <paramref name="model"/>, started as the model's own residual stream over <paramref name="initTokens"/>'
    /// first P tokens (so the untrained prefix is that text as a prompt, the initialisation Li and Liang found stable).
    /// </summary>
    public static PrefixSet Create(LanguageModel model, int length, IReadOnlyList<int> initTokens)
    {
        Validate(model.Config.BlockSize, length);
        if (initTokens.Count < length) throw new ArgumentException($"Initialising a prefix of {length} needs at least {length} tokens, got {initTokens.Count}.");
        var set = new PrefixSet(new PrefixConfig(length, model.BlockCount, model.Config.Width, WeightsHash.Of(model)));
        var device = model.parameters().First().device;
        var wasTraining = model.training;
        model.eval();
        using (torch.no_grad())
        {
            using var ids = torch.tensor(initTokens.Take(length).Select(t => (long)t).ToArray(), [1, length]);
            using var onDevice = ids.to(device);
            var h = model.Embed(onDevice);
            for (var i = 0; i < model.BlockCount; i++)
            {
                using (var row = h.squeeze(0)) set.register_parameter($"layer{i}", torch.nn.Parameter(row.clone()));
                var next = model.Block(i).forward(h);
                h.Dispose();
                h = next;
            }
            h.Dispose();
        }
        model.train(wasTraining);
        return set;
    }

    /// <summary>Next-token logits (B, t, V) of the frozen model reading the prefix, then the text.</summary>
    public Tensor Logits(LanguageModel model, Tensor ids)
    {
        using var h = Hidden(model, ids);
        return model.Head(h);
    }

    /// <summary>The final residual stream (B, t, E) at the text's positions of the frozen model reading the prefix, then the text.</summary>
    public Tensor Hidden(LanguageModel model, Tensor ids)
    {
        long b = ids.shape[0], t = ids.shape[1];
        var h = model.Embed(ids, Length);
        for (var i = 0; i < model.BlockCount; i++)
        {
            using var row = Layer(i).unsqueeze(0);
            using var prefix = row.expand(b, Length, Config.Width);
            using var joined = torch.cat([prefix, h], 1);
            h.Dispose();
            using var output = model.Block(i).forward(joined);
            h = output.narrow(1, Length, t);
        }
        return h;
    }

    /// <summary>Decoding reads a prefix (<see cref="Generation.BatchDecoder"/>); the model itself carries no hook to remove.</summary>
    public PrefixSet? Prefix => this;

    /// <summary>Nothing to remove: a prefix never hooks into the model, decoding reads it before each window's text.</summary>
    public void DetachFrom() { }

    public Checkpoints.Sha256Manifest Save(string dir) => PeftFiles.Save(dir, this, Kind, Config);

    /// <summary>Loads a prefix saved by <see cref="Save"/> for the same base model (checked by weights hash).</summary>
    public static PrefixSet Load(string dir, LanguageModel model)
    {
        var config = PeftFiles.ReadConfig<PrefixConfig>(dir);
        PeftFiles.EnsureSameBase(config.BaseModelWeightsSha256, WeightsHash.Of(model), "prefix vectors");
        var set = new PrefixSet(config);
        var device = model.parameters().First().device;
        for (var i = 0; i < config.Layers; i++) set.register_parameter($"layer{i}", torch.nn.Parameter(torch.zeros([config.Length, config.Width], device: device)));
        PeftFiles.LoadWeights(dir, set);
        return set;
    }
}
