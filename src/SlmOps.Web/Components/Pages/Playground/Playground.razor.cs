using System.Text;
using Microsoft.AspNetCore.Components;
using SlmOps.Web.Registry;
using SlmOps.Web.Serving;

namespace SlmOps.Web.Components.Pages.Playground;

/// <summary>
/// Generates through the serving host (the service behind POST /api/v1/generate, which validates the request) and shows
/// the LLM alone next to the LLM with the chosen SLM, each column filling in as its tokens arrive. A refusal is shown
/// next to the field it is about.
/// </summary>
public partial class Playground : IDisposable
{
    [Inject] private IPlaygroundData Data { get; set; } = default!;
    [CascadingParameter] private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>? AuthState { get; set; }

    private TeamCaller _caller = DashboardUser.Caller(null);

    private IReadOnlyList<TaskModelDto>? _tasks;
    private readonly PlaygroundRequest _request = new();
    private Dictionary<string, List<string>> _errors = [];
    private readonly StringBuilder _composed = new();
    private readonly StringBuilder _alone = new();
    private int _composedTokens, _aloneTokens;
    private GenerateResponse? _response;
    private string? _loadError;
    private bool _generating;
    private CancellationTokenSource? _generation;

    private TaskModelDto? SelectedTask => _tasks?.FirstOrDefault(t => t.Name == _request.Task);

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _caller = DashboardUser.Caller(AuthState is null ? null : (await AuthState).User);
            _tasks = await Data.ListTasksAsync(_caller);
            TaskChanged(_tasks.FirstOrDefault(t => t.Aliases.ContainsKey(PromotionGate.GatedAlias))?.Name ?? _tasks.FirstOrDefault()?.Name);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            _tasks = [];
            _loadError = $"Could not load task models: {error.Message}. Check /health/ready and reload the page.";
        }
    }

    private void TaskChanged(string? task)
    {
        _request.Task = task;
        var selected = SelectedTask;
        _request.Target = selected is null ? null
            : selected.Aliases.ContainsKey(PromotionGate.GatedAlias) ? $"alias:{PromotionGate.GatedAlias}"
            : selected.Aliases.Keys.Order().FirstOrDefault() is { } alias ? $"alias:{alias}"
            : selected.Latest is { } latest ? $"version:{latest.Version}" : null;
    }

    private string? Error(string field) => _errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    private bool HasOutput => _generating ? _composedTokens + _aloneTokens > 0 : _response is not null;

    private async Task GenerateAsync()
    {
        if (_generating) return;
        _errors = [];
        _response = null;
        _composed.Clear();
        _alone.Clear();
        _composedTokens = _aloneTokens = 0;
        _generating = true;
        _generation = new CancellationTokenSource();
        try
        {
            await foreach (var item in Data.GenerateAsync(_caller, _request.ToGenerateRequest(), _generation.Token))
            {
                switch (item)
                {
                    case TokenArrived { LlmAlone: true } token:
                        _alone.Append(token.Text);
                        _aloneTokens++;
                        break;
                    case TokenArrived token:
                        _composed.Append(token.Text);
                        _composedTokens++;
                        break;
                    case GenerationFinished finished:
                        _response = finished.Response;
                        break;
                    case GenerationRefused refused:
                        ShowRefusal(refused.Problem);
                        break;
                }
                StateHasChanged();
            }
        }
        catch (ServingHostUnavailable error)
        {
            AddError("", error.Message);
        }
        catch (OperationCanceledException) when (_generation.IsCancellationRequested)
        {
            // The page went away.
        }
        finally
        {
            _generating = false;
        }
    }

    /// <summary>Each message next to its field: the validator's list for a 400, the task or the alias picker for a 404.</summary>
    private void ShowRefusal(ServingProblem problem)
    {
        if (problem.Errors.Count > 0)
        {
            foreach (var message in problem.Errors) AddError(PlaygroundRequest.FieldOf(message), message);
            return;
        }
        var field = problem.Status == 404
            ? problem.Title.Contains("Task", StringComparison.OrdinalIgnoreCase) ? "task" : "target"
            : "";
        AddError(field, field.Length > 0 ? problem.Detail : $"{problem.Title}: {problem.Detail}");
    }

    private void AddError(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public void Dispose()
    {
        _generation?.Cancel();
        _generation?.Dispose();
    }
}
