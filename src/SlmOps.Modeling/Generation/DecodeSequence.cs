using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Torch;

namespace SlmOps.Modeling.Generation;

/// <summary>
/// One request in a <see cref="BatchDecoder"/>: its prompt, its follower (null: the LLM alone), its options, and what
/// it has generated so far. The decoder owns its state; callers read it between steps.
/// </summary>
public sealed class DecodeSequence
{
    private readonly List<int> _tokens;
    private readonly int _promptLength;

    internal DecodeSequence(long id, IReadOnlyList<int> prompt, SlmFollower? follower, GenerationOptions options, int window)
    {
        Id = id;
        Follower = follower;
        Options = options;
        Window = window;
        _tokens = new List<int>(prompt.Count + options.MaxNewTokens);
        _tokens.AddRange(prompt);
        _promptLength = prompt.Count;
        Sampler = new TokenSampler(options);
        Draws = follower?.Options.Mode == CouplingMode.Tokens ? new DrawnTokens(follower.Options, options) : null;
    }

    public long Id { get; }
    public SlmFollower? Follower { get; }
    public GenerationOptions Options { get; }
    /// <summary>Tokens the models read at once: the LLM's, or the shorter of the LLM's and the SLM's.</summary>
    public int Window { get; }
    public int PromptLength => _promptLength;
    public IReadOnlyList<int> Generated => _tokens.GetRange(_promptLength, _tokens.Count - _promptLength);
    public int GeneratedCount => _tokens.Count - _promptLength;
    public bool Finished => GeneratedCount >= Options.MaxNewTokens;
    /// <summary>Left the decoder (finished, or by <see cref="BatchDecoder.Leave"/>); its caches are released.</summary>
    public bool Left { get; internal set; }

    internal TokenSampler Sampler { get; }
    internal DrawnTokens? Draws { get; }
    internal IReadOnlyList<int> Tokens => _tokens;
    /// <summary>Positions of the current window held in this sequence's cache slots (0: none, it reads whole windows).</summary>
    internal int Encoded { get; set; }
    /// <summary>Where the current window starts in the sequence (it slides once the sequence is longer than the window).</summary>
    internal int WindowStart { get; set; }

    internal void Append(int token) => _tokens.Add(token);

    /// <summary>The window the next step reads whole: the last <see cref="Window"/> tokens.</summary>
    internal int WholeWindowStart => Math.Max(0, _tokens.Count - Window);

    internal static int WindowOf(LanguageModel llm, SlmFollower? follower) =>
        follower is null ? llm.Config.BlockSize : Math.Min(llm.Config.BlockSize, follower.Slm.Config.BlockSize);

    internal static void CheckPrompt(IReadOnlyList<int> prompt, int vocab)
    {
        if (prompt.Count == 0) throw new ArgumentException("Generation needs a prompt of at least one token.", nameof(prompt));
        foreach (var token in prompt)
            if (token < 0 || token >= vocab) throw new ArgumentException($"Prompt token {token} is outside the vocabulary 0..{vocab - 1}.", nameof(prompt));
    }

    /// <summary>(rows, ids.Length / rows) int64 token ids on <paramref name="device"/>.</summary>
    internal static Tensor Upload(long[] ids, int rows, Device device)
    {
        var host = torch.tensor(ids, [rows, ids.Length / rows]);
        if (device.Type == DeviceType.CPU) return host;
        using (host) return host.to(device);
    }
}
