using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Torch;

namespace SlmOps.Modeling.Generation;

/// <summary>
/// Autoregressive generation over a sliding window: each step runs the model on the last
/// BlockSize tokens and samples the last position. The composed path takes an already-loaded
/// <see cref="FrozenLlm"/>, so serving many followers never reloads the LLM.
/// </summary>
public static class TextGenerator
{
    /// <summary>The LLM (or any language model) alone.</summary>
    public static int[] Generate(LanguageModel model, IReadOnlyList<int> prompt, GenerationOptions options) =>
        Run(prompt, options, model.Config.BlockSize, Device(model), ids => model.forward(ids), () => model.eval());

    /// <summary>
    /// LLM + SLM in the follower's coupling mode. In tokens mode each step runs the LLM over the window,
    /// draws a token at every position with this request's RNG, feeds them to the SLM and samples its last position.
    /// </summary>
    public static int[] Generate(FrozenLlm llm, SlmFollower follower, IReadOnlyList<int> prompt, GenerationOptions options)
    {
        var window = Math.Min(llm.BlockSize, follower.Slm.Config.BlockSize);
        var drawRng = new TokenSampler(options with { Seed = options.Seed ^ 0x5DEECE66DUL, TopK = null, Temperature = follower.Options.Temperature });
        return Run(prompt, options, window, Device(llm.Model), ids =>
        {
            if (follower.Options.Mode != CouplingMode.Tokens) return follower.Logits(llm, ids);
            using var llmLogits = llm.Logits(ids);
            using var drawn = follower.Options.Argmax ? llmLogits.argmax(-1) : DrawEveryPosition(llmLogits, drawRng);
            return follower.Slm.forward(drawn);
        }, () => follower.eval());
    }

    private static int[] Run(IReadOnlyList<int> prompt, GenerationOptions options, int window, Device device, Func<Tensor, Tensor> logitsOf, Action setEval)
    {
        if (prompt.Count == 0) throw new ArgumentException("Generation needs a prompt of at least one token.", nameof(prompt));
        setEval();
        var sampler = new TokenSampler(options);
        var sequence = new List<int>(prompt);
        using var _ = torch.no_grad();
        for (var step = 0; step < options.MaxNewTokens; step++)
        {
            using var scope = torch.NewDisposeScope();
            var start = Math.Max(0, sequence.Count - window);
            var ids = sequence.Skip(start).Select(i => (long)i).ToArray();
            var input = torch.tensor(ids, [1, ids.Length]);
            if (device.Type != DeviceType.CPU) input = input.to(device);
            var logits = logitsOf(input);
            var last = logits.slice(1, ids.Length - 1, ids.Length).reshape(-1).to(ScalarType.Float32);
            sequence.Add(sampler.Sample(last.ToArray<float>()));
        }
        return sequence.Skip(prompt.Count).ToArray();
    }

    private static Tensor DrawEveryPosition(Tensor llmLogits, TokenSampler rng)
    {
        long t = llmLogits.shape[1], v = llmLogits.shape[2];
        using var f32 = llmLogits.to(ScalarType.Float32);
        var all = f32.ToArray<float>();
        var drawn = new long[t];
        for (var i = 0; i < t; i++) drawn[i] = rng.Sample(all.AsSpan((int)(i * v), (int)v));
        return torch.tensor(drawn, [1, t]).to(llmLogits.device);
    }

    private static Device Device(LanguageModel model) => model.parameters().FirstOrDefault()?.device ?? Torch.Device.CPU;
}
