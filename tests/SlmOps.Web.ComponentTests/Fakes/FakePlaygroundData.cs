using System.Text.Json;
using SlmOps.Web.Components.Pages.Playground;
using SlmOps.Web.Serving;
using SlmOps.Web.Registry;

namespace SlmOps.Web.ComponentTests.Fakes;

/// <summary>
/// The playground's data without a database or a serving host: fixed task models; generation streams the tokens of
/// <see cref="Generate"/>'s answer (each character a token, both columns), then the answer, or <see cref="Refusal"/>.
/// </summary>
public sealed class FakePlaygroundData : IPlaygroundData
{
    public List<GenerateRequest> Requests { get; } = [];

    /// <summary>Task models to list; set <see cref="ListFailure"/> to make listing throw instead.</summary>
    public IReadOnlyList<TaskModelDto> Tasks { get; set; } = [TaskModel("support", production: 2, latest: 3)];

    public Exception? ListFailure { get; set; }

    public Func<GenerateRequest, GenerateResponse> Generate { get; set; } = request => new GenerateResponse(
        request.Task!, 2, request.Alias, 102, 3, "llm@1", "hello there", 5, 50, 100, request.Seed ?? 1, "hit", null);

    public static TaskModelDto TaskModel(string name, int? production, int latest)
    {
        var metrics = JsonDocument.Parse("{}").RootElement.Clone();
        var aliases = production is { } v ? new Dictionary<string, int> { [PromotionGate.GatedAlias] = v } : [];
        var newest = new SlmVersionDto(name, latest, 100 + latest, new BaseModelRefDto("llm", 1, 3), "tokens", metrics, 1000, null, null, metrics,
            new string('a', 64), "tester", DateTimeOffset.UtcNow, []);
        return new TaskModelDto(name, "default", null, "tester", DateTimeOffset.UtcNow, latest, newest, aliases);
    }

    public Task<IReadOnlyList<TaskModelDto>> ListTasksAsync(TeamCaller caller) =>
        ListFailure is { } failure ? Task.FromException<IReadOnlyList<TaskModelDto>>(failure) : Task.FromResult(Tasks);

    /// <summary>Set to make generation answer with the serving host's refusal instead.</summary>
    public Func<GenerateRequest, ServingProblem?> Refusal { get; set; } = _ => null;

    public async IAsyncEnumerable<PlaygroundEvent> GenerateAsync(TeamCaller caller, GenerateRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        Requests.Add(request);
        await Task.Yield();
        if (Refusal(request) is { } problem)
        {
            yield return new GenerationRefused(problem);
            yield break;
        }
        var response = Generate(request);
        foreach (var c in response.Text) yield return new TokenArrived(false, c.ToString());
        foreach (var c in response.LlmAlone?.Text ?? "") yield return new TokenArrived(true, c.ToString());
        yield return new GenerationFinished(response);
    }
}
