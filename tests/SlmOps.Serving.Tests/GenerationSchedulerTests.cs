using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;

namespace SlmOps.Serving.Tests;

/// <summary>The batch scheduler's bounds and cancellation, on a real tiny LLM (no host).</summary>
public sealed class GenerationSchedulerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"slmops-scheduler-{Guid.NewGuid():N}");
    private readonly FrozenLlm _llm;

    public GenerationSchedulerTests()
    {
        Directory.CreateDirectory(_root);
        var sha = TinyCheckpoints.SaveLlm(_root, seed: 3);
        var (model, _) = ModelCheckpoint.LoadLanguageModel(Path.Combine(_root, sha));
        _llm = new FrozenLlm(model);
    }

    private static readonly int[] Prompt = TinyCheckpoints.Tokenizer.Encode("hello");

    private sealed class Hold : IDisposable
    {
        public int Disposed;
        public void Dispose() => Interlocked.Increment(ref Disposed);
    }

    [Fact]
    public async Task Beyond_the_batch_and_the_queue_a_submission_is_refused_with_a_retry_hint_and_the_refused_hold_is_not_kept()
    {
        using var scheduler = new GenerationScheduler(_llm, new ServingOptions { MaxBatch = 1, MaxQueued = 1 }, "test");
        var options = new GenerationOptions { MaxNewTokens = 100_000, Seed = 1 };
        using var stop = new CancellationTokenSource();
        var first = scheduler.Submit(Prompt, null, options, null, stop.Token);
        var second = scheduler.Submit(Prompt, null, options, null, stop.Token);

        // Two are in (one generating, one waiting): the third finds no place, whatever the scheduler thread has done so far.
        var busy = Assert.Throws<ServingBusyException>(() => scheduler.Submit(Prompt, null, options, null, stop.Token));
        Assert.True(busy.RetryAfterSeconds > 0);
        Assert.Contains("Serving:MaxQueued", busy.Message);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DrainAsync(first));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DrainAsync(second));
    }

    [Fact]
    public async Task A_cancelled_sequence_leaves_the_batch_and_its_hold_is_released_while_the_others_finish()
    {
        using var scheduler = new GenerationScheduler(_llm, new ServingOptions { MaxBatch = 4, MaxQueued = 4 }, "test");
        using var cancel = new CancellationTokenSource();
        var hold = new Hold();
        var cancelled = scheduler.Submit(Prompt, null, new GenerationOptions { MaxNewTokens = 100_000, Seed = 1 }, hold, cancel.Token);
        var kept = scheduler.Submit(Prompt, null, new GenerationOptions { MaxNewTokens = 12, Seed = 2 }, null, CancellationToken.None);

        Assert.True(await cancelled.Tokens.WaitToReadAsync()); // it is generating
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DrainAsync(cancelled));
        Assert.Equal(1, hold.Disposed);

        var tokens = new List<int>();
        await foreach (var token in kept.Tokens.ReadAllAsync()) tokens.Add(token);
        Assert.Equal(TextGenerator.Generate(_llm.Model, Prompt, new GenerationOptions { MaxNewTokens = 12, Seed = 2 }), tokens);
        Assert.Equal((0, 0), (scheduler.Load.Active, scheduler.Load.Waiting));
    }

    /// <summary>Reads every token (a channel completes only once read to the end); throws what ended the sequence.</summary>
    private static async Task DrainAsync(Generation generation)
    {
        await foreach (var _ in generation.Tokens.ReadAllAsync()) { }
    }

    public void Dispose()
    {
        _llm.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
