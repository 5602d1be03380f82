using System.Runtime.CompilerServices;
using System.Text.Json;
using SlmOps.Web.Components.Shared;
using SlmOps.Web.Registry;
using SlmOps.Web.Serving;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Components.Pages.Playground;

/// <summary>What the playground reads and calls: the task models to pick from, and streamed generation.</summary>
public interface IPlaygroundData
{
    /// <summary>The task models <paramref name="caller"/> sees (its team's and those shared with it).</summary>
    Task<IReadOnlyList<TaskModelDto>> ListTasksAsync(TeamCaller caller);

    /// <summary>
    /// The generation's events as they arrive: tokens of either column, then the finished answer; or one refusal (the
    /// serving host's problem details). Throws <see cref="ServingHostUnavailable"/> when the serving host cannot be asked.
    /// </summary>
    /// Only with a task model <paramref name="caller"/> sees (another team's unshared task reads as unknown): the serving host
    /// is asked with this web host's key, so the team rule is applied here first.
    IAsyncEnumerable<PlaygroundEvent> GenerateAsync(TeamCaller caller, GenerateRequest request, CancellationToken ct);
}

public abstract record PlaygroundEvent;

/// <summary>Text of one more token, of the LLM-alone column or of the LLM + SLM column.</summary>
public sealed record TokenArrived(bool LlmAlone, string Text) : PlaygroundEvent;

public sealed record GenerationFinished(GenerateResponse Response) : PlaygroundEvent;

public sealed record GenerationRefused(ServingProblem Problem) : PlaygroundEvent;

/// <summary>The registry on PostgreSQL; generation streamed from the serving host (<see cref="ServingClient"/>).</summary>
public sealed class PlaygroundData(DashboardScope scope, ServingClient serving) : IPlaygroundData
{
    public Task<IReadOnlyList<TaskModelDto>> ListTasksAsync(TeamCaller caller) =>
        scope.RunAsync(services => services.GetRequiredService<TaskModelQueries>().ListAsync(caller, CancellationToken.None));

    public async IAsyncEnumerable<PlaygroundEvent> GenerateAsync(TeamCaller caller, GenerateRequest request, [EnumeratorCancellation] CancellationToken ct)
    {
        if (request.Task is { } task && await scope.RunAsync(services =>
                services.GetRequiredService<TeamAccess>().TaskModelAsync(caller, TeamRight.Read, task, CancellationToken.None)) is { Allowed: false })
        {
            var unknown = SlmVersionResolver.TaskNotFound(task);
            yield return new GenerationRefused(new ServingProblem(unknown.Status, unknown.Title, unknown.Message, []));
            yield break;
        }
        await foreach (var item in serving.StreamAsync(request, ct))
        {
            if (item.Problem is { } problem)
            {
                yield return new GenerationRefused(problem);
                yield break;
            }
            var data = item.Data!.Value;
            switch (item.Name)
            {
                case GenerateEvents.Token or GenerateEvents.LlmAloneToken:
                    yield return new TokenArrived(item.Name == GenerateEvents.LlmAloneToken, data.GetProperty("text").GetString() ?? "");
                    break;
                case GenerateEvents.Done:
                    yield return new GenerationFinished(data.Deserialize<GenerateResponse>(ServingClient.Json)!);
                    break;
                case GenerateEvents.Error:
                    yield return new GenerationRefused(new ServingProblem(
                        data.TryGetProperty("status", out var s) && s.TryGetInt32(out var status) ? status : 500,
                        data.TryGetProperty("title", out var t) ? t.GetString() ?? "Generation failed" : "Generation failed",
                        data.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "", []));
                    yield break;
            }
        }
    }
}
