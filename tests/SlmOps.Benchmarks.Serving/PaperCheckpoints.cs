using SlmOps.Contracts;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Peft;
using SlmOps.Modeling.Tokenizers;
using SlmOps.Torch;

namespace SlmOps.Benchmarks.Serving;

/// <summary>
/// Paper-size checkpoints from random init, published as the worker publishes them (models/&lt;weights sha256&gt;).
/// Timing does not depend on trained values, only on shapes, so random weights measure serving fairly.
/// </summary>
internal sealed class PaperCheckpoints(string modelsRoot)
{
    /// <summary>A char-pair tokenizer with the paper's vocabulary size: 33² pairs + 2 single characters + &lt;unk&gt; = 1092.</summary>
    public static CharPairTokenizer Tokenizer { get; } = Build();

    public string SaveLlm(int seed)
    {
        torch.manual_seed(seed);
        using var model = new FftLanguageModel(ModelPresets.PaperLlm(Tokenizer.VocabSize));
        return Publish(dir => ModelCheckpoint.SaveLanguageModel(dir, model, Tokenizer));
    }

    public string SaveFollower(FrozenLlm llm, int seed)
    {
        torch.manual_seed(seed);
        var options = new CouplingOptions { Mode = CouplingMode.Tokens, Initialization = SlmInitialization.Random };
        var slm = new FftLanguageModel(ModelPresets.PaperSlm(Tokenizer.VocabSize));
        SlmInitializer.Apply(slm, llm.Model, options);
        using var follower = new SlmFollower(slm, options, llm.Model.Config.Width);
        return Publish(dir => ModelCheckpoint.SaveFollower(dir, follower, Tokenizer, llm));
    }

    /// <summary>A prefix of <paramref name="length"/> positions for the LLM <paramref name="llmSha"/>, saved as a worker saves one.</summary>
    public string SavePrefix(string llmSha, int length)
    {
        var (model, _) = ModelCheckpoint.LoadLanguageModel(DirOf(llmSha));
        using var llm = new FrozenLlm(model);
        var text = Tokenizer.Encode(string.Concat(Enumerable.Repeat("the prefix stands for a prompt. ", length)));
        using var prefix = PrefixSet.Create(llm.Model, length, text);
        return Publish(prefix.Save, PeftFiles.WeightsFile);
    }

    public string DirOf(string sha) => Path.Combine(modelsRoot, sha);

    private string Publish(Func<string, Sha256Manifest> save, string weightsFile = ModelCheckpoint.WeightsFile)
    {
        var staging = Path.Combine(modelsRoot, $"staging-{Guid.NewGuid():N}");
        var sha = save(staging).Files[weightsFile];
        Directory.Move(staging, DirOf(sha));
        return sha;
    }

    private static CharPairTokenizer Build()
    {
        const string chars = "abcdefghijklmnopqrstuvwxyz .,;!?'";
        var tokens = chars.SelectMany(a => chars.Select(b => $"{a}{b}")).Append("a").Append("b");
        return CharPairTokenizer.FromTokens(tokens, CleaningOptions.Default);
    }
}
