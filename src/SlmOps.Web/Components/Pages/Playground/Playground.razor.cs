using Microsoft.AspNetCore.Components;
using SlmOps.Web.Registry;
using SlmOps.Web.Serving;

namespace SlmOps.Web.Components.Pages.Playground;

/// <summary>
/// Generates through <see cref="GenerationService"/> (the service behind POST /api/v1/generate), with the same request
/// validation, and shows the LLM alone next to the LLM with the chosen SLM. Errors are shown next to their field.
/// </summary>
public partial class Playground
{
    [Inject] private IPlaygroundData Data { get; set; } = default!;
    [Inject] private ServingOptions Options { get; set; } = default!;
    [CascadingParameter] private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>? AuthState { get; set; }

    private Teams.TeamCaller _caller = DashboardUser.Caller(null);

    private IReadOnlyList<TaskModelDto>? _tasks;
    private readonly PlaygroundRequest _request = new();
    private Dictionary<string, List<string>> _errors = [];
    private GenerateResponse? _response;
    private string? _loadError;
    private bool _generating;

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

    private async Task GenerateAsync()
    {
        if (_generating) return;
        _errors = [];
        var request = _request.ToGenerateRequest();
        foreach (var message in GenerateRequestValidator.Errors(request, Options)) AddError(PlaygroundRequest.FieldOf(message), message);
        if (_errors.Count > 0) return;

        _generating = true;
        try
        {
            _response = await Data.GenerateAsync(_caller, request);
        }
        catch (RegistryException error)
        {
            AddError(error.Title.Contains("Task", StringComparison.OrdinalIgnoreCase) ? "task" : "target", error.Message);
        }
        catch (ServingException error)
        {
            AddError("", error.Message);
        }
        catch (Exception error) when (error is ModelIntegrityException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            AddError("", $"This model cannot be served: {error.Message}");
        }
        finally
        {
            _generating = false;
        }
    }

    private void AddError(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }
}
