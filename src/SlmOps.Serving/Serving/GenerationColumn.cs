using System.Diagnostics;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;

namespace SlmOps.Serving;

/// <summary>One token of a streamed answer: which column, its place, its id and the text it adds to the decoded output.</summary>
public sealed record StreamedToken(bool LlmAlone, int Index, int TokenId, string Text);

/// <summary>One column of a generate request: one sequence in its LLM's batch, read as its tokens arrive.</summary>
internal sealed class GenerationColumn
{
    private readonly ResidentLlm _llm;
    private readonly Generation _generation;
    private readonly long _started = Stopwatch.GetTimestamp();

    private GenerationColumn(ResidentLlm llm, Generation generation)
    {
        _llm = llm;
        _generation = generation;
    }

    public static GenerationColumn Start(ResidentLlm llm, int[] prompt, SlmFollower? follower, GenerationOptions options, IDisposable? hold, CancellationToken ct)
    {
        try
        {
            return new GenerationColumn(llm, llm.Scheduler.Submit(prompt, follower, options, hold, ct));
        }
        catch
        {
            hold?.Dispose();
            throw;
        }
    }

    /// <summary>Every token (calling <paramref name="onToken"/> for each as it arrives), and tokens per second from submission to the last.</summary>
    public async Task<(int[] Tokens, double TokensPerSecond)> ReadAsync(Func<StreamedToken, Task>? onToken, bool llmAlone, CancellationToken ct)
    {
        var tokens = new List<int>();
        var decoded = "";
        await foreach (var token in _generation.Tokens.ReadAllAsync(ct))
        {
            tokens.Add(token);
            if (onToken is null) continue;
            // The text a token adds, from the whole decoded output: a tokenizer may join or clean across token boundaries.
            var text = _llm.Tokenizer.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(tokens));
            var added = text.StartsWith(decoded, StringComparison.Ordinal) ? text[decoded.Length..] : text;
            decoded = text;
            await onToken(new StreamedToken(llmAlone, tokens.Count - 1, token, added));
        }
        var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        return (tokens.ToArray(), seconds > 0 ? tokens.Count / seconds : 0);
    }
}
