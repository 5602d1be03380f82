using SlmOps.Contracts;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Generation;

/// <summary>Tiny LLMs and followers with short windows (LLM 8, SLM 6), so a few steps run past the window.</summary>
internal static class DecodingModels
{
    public const int Vocab = 19;
    public const int LlmWindow = 8;
    public const int SlmWindow = 6;

    public static FrozenLlm Llm(string arch, int seed = 31)
    {
        torch.manual_seed(seed);
        ModelConfig config = arch == "fft" ? ModelPresets.TinyFft(Vocab, LlmWindow) : ModelPresets.TinyGpt(Vocab, LlmWindow);
        return new FrozenLlm(ModelFactory.Create(config));
    }

    /// <summary>A follower whose head is not zero, so that in logits and hidden modes it really changes the LLM's output.</summary>
    public static SlmFollower Follower(FrozenLlm llm, string arch, CouplingMode mode, int seed = 41, bool argmax = false)
    {
        torch.manual_seed(seed);
        ModelConfig config = arch == "fft"
            ? ModelPresets.TinyFft(Vocab, SlmWindow) with { Width = 16, Layers = 1 }
            : ModelPresets.TinyGpt(Vocab, SlmWindow) with { Width = 16, Layers = 1, Heads = 2 };
        var slm = ModelFactory.Create(config);
        var options = new CouplingOptions { Mode = mode, Initialization = SlmInitialization.Random, Argmax = argmax };
        SlmInitializer.Apply(slm, llm.Model, options);
        using (torch.no_grad())
        {
            foreach (var (name, p) in slm.state_dict())
            {
                if (!name.StartsWith("head.", StringComparison.Ordinal)) continue;
                using var noise = torch.randn(p.shape);
                using var scaled = noise * 0.5;
                p.copy_(scaled);
            }
        }
        var follower = new SlmFollower(slm, options, llm.Model.Config.Width);
        follower.eval();
        return follower;
    }

    public static int[] Prompt(int length, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => rng.Next(Vocab)).ToArray();
    }

    public static double MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
}
