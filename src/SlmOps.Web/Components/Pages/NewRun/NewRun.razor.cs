using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using SlmOps.Contracts;
using SlmOps.Data.Entities;
using SlmOps.Web.Runs;

namespace SlmOps.Web.Components.Pages.NewRun;

/// <summary>
/// The new-run form. Submits through <see cref="RunSubmission"/>, the same code path (and validator) as
/// POST /api/v1/runs/{kind}; the validator's messages are shown next to their fields and what was typed stays.
/// </summary>
public partial class NewRun
{
    private sealed record KindOption(RunKind Kind, string Label);

    private static readonly KindOption[] Kinds =
    [
        new(RunKind.TrainBaseModel, "Pretrain"), new(RunKind.TrainTaskModel, "Fine-tune"), new(RunKind.Evaluate, "Evaluate"),
        new(RunKind.PrepareDataset, "Prepare dataset"),
    ];

    [CascadingParameter] private Task<AuthenticationState>? AuthState { get; set; }
    [Inject] private INewRunData Data { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>"Clone and edit" on a run page: start from that run's kind and spec.</summary>
    [SupplyParameterFromQuery(Name = "from")] private Guid? From { get; set; }

    /// <summary>Preselect the kind: pretrain, finetune, evaluate or prepare.</summary>
    [SupplyParameterFromQuery(Name = "kind")] private string? KindName { get; set; }

    private NewRunForm _form = new();
    private readonly NewRunSweepForm _sweep = new();
    private NewRunChoices _choices = new([], [], [], []);
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private NewRunPreset? _appliedPreset;
    private string? _summary;
    private string? _loadError;
    private bool _submitting;
    private bool _authorized;
    private ClaimsPrincipal? User;

    private bool AsSweep => _sweep.Enabled && NewRunSweepForm.Supports(_form.Kind);
    private string KindLabel => AsSweep ? $"{Kinds.First(k => k.Kind == _form.Kind).Label.ToLowerInvariant()} sweep" : Kinds.First(k => k.Kind == _form.Kind).Label.ToLowerInvariant();
    private string ModelField => _form.Kind == RunKind.PrepareDataset ? "tokenizerFromBaseModelVersionId" : "baseModelVersionId";
    private string ModelLabel => _form.Kind == RunKind.PrepareDataset ? "Reuse the tokenizer of base model version" : "Base model version (the frozen LLM)";
    private string? ModelHint => _form.Kind == RunKind.PrepareDataset ? "Task data an SLM will read must use its LLM's tokenizer." : null;
    private string DatasetHint => _form.Kind == RunKind.PrepareDataset
        ? "Any uploaded version." : "Only prepared versions are listed; prepare one with the model's tokenizer first.";

    // <select> binds strings; the form holds ids.
    private string BaseModelChoice { get => _form.BaseModelVersionId?.ToString() ?? ""; set => _form.BaseModelVersionId = ParseId(value); }
    private string SlmChoice { get => _form.SlmVersionId?.ToString() ?? ""; set => _form.SlmVersionId = ParseId(value); }
    private string DatasetChoice { get => _form.DatasetVersionId?.ToString() ?? ""; set => _form.DatasetVersionId = ParseId(value); }

    protected override async Task OnInitializedAsync()
    {
        User = AuthState is null ? null : (await AuthState).User;
        _authorized = DashboardUser.Can(User, ApiKeyRole.Editor);
        if (!_authorized) return;
        try
        {
            _choices = await Data.LoadChoicesAsync(DashboardUser.Caller(User));
            if (From is { } source)
            {
                var run = await Data.GetRunAsync(DashboardUser.Caller(User), source);
                if (run is null) _loadError = $"No run has id {source}; starting from an empty form.";
                else _form = NewRunForm.From(run.Kind, run.Name, run.Priority, run.Config);
            }
            else
            {
                _form.Kind = KindName?.ToLowerInvariant() switch
                {
                    "finetune" or "fine-tune" => RunKind.TrainTaskModel,
                    "evaluate" => RunKind.Evaluate,
                    "prepare" => RunKind.PrepareDataset,
                    _ => RunKind.TrainBaseModel,
                };
                _form.Apply(NewRunPresets.Tiny);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            _loadError = $"Could not load datasets and models: {error.Message}. Check /health/ready and reload the page.";
        }
    }

    private void KindChanged()
    {
        _errors = new Dictionary<string, string[]>();
        _summary = null;
        if (_appliedPreset is not null) _form.Apply(_appliedPreset);
    }

    private void ApplyPreset(NewRunPreset preset)
    {
        _form.Apply(preset);
        _appliedPreset = preset;
    }

    private string? Error(string field) => _errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    private async Task SubmitAsync()
    {
        if (_submitting) return;
        _submitting = true;
        _summary = null;
        try
        {
            if (AsSweep)
            {
                await SubmitSweepAsync();
                return;
            }
            var request = new SubmitRunRequest(string.IsNullOrWhiteSpace(_form.Name) ? null : _form.Name.Trim(), _form.Priority, _form.ToSpec());
            var result = await Data.SubmitAsync(_form.Kind, request, From, DashboardUser.Caller(User));
            if (result.Run is { } run)
            {
                Navigation.NavigateTo($"runs/{run.Id}");
                return;
            }
            if (result.Refusal is { } refusal) ShowRefusal(refusal);
            else ShowErrors(result.Errors, result.Detail ?? "The run was not submitted.");
        }
        catch (Exception error) when (error is not OperationCanceledException and not NavigationException)
        {
            _summary = $"The run could not be submitted: {error.Message}. Check /health/ready (database and broker) and try again.";
        }
        finally
        {
            _submitting = false;
        }
    }

    /// <summary>The sweep: this form's run is its base spec; a base spec field's message (spec.X) is shown next to field X.</summary>
    private async Task SubmitSweepAsync()
    {
        var spec = _sweep.ToSpec(_form.Kind, _form.ToSpec());
        var request = new SubmitRunRequest(string.IsNullOrWhiteSpace(_form.Name) ? null : _form.Name.Trim(), _form.Priority, spec);
        var result = await Data.SubmitSweepAsync(request, DashboardUser.Caller(User));
        if (result.Sweep is { } sweep)
        {
            Navigation.NavigateTo($"sweeps/{sweep.Id}");
            return;
        }
        if (result.Refusal is { } refusal)
        {
            ShowRefusal(refusal);
            return;
        }
        ShowErrors(result.Errors.ToDictionary(e => e.Key.StartsWith("spec.", StringComparison.Ordinal) ? e.Key["spec.".Length..] : e.Key, e => e.Value),
            result.Detail ?? "The sweep was not submitted.");
    }

    private void ShowRefusal(AccessDecision refusal)
    {
        _errors = new Dictionary<string, string[]>();
        _summary = refusal.Detail;
    }

    private void ShowErrors(IReadOnlyDictionary<string, string[]> errors, string detail)
    {
        _errors = errors;
        _summary = detail + " Fix the fields marked above and submit again.";
        foreach (var (field, messages) in _errors.Where(e => !IsShownNextToField(e.Key)))
        {
            _summary += $" {field}: {string.Join(" ", messages)}";
        }
    }

    private bool IsShownNextToField(string field) => IsSweepField(field) || field is "name" or "priority" or "datasetVersionId" or "slmVersionId"
        or "tokenizerKind" or "validationFraction" or "baseModelName" or "preset" or "taskModelName" or "method" or "coupling"
        or "initialization" or "inheritBlocks" or "slmPreset" or "slm" or "loraRank" or "adapterBottleneck" or "prefixLength" or "pluginRatio" or "pluginSmallLayers" or "pluginModule" or "pluginSmallBaseModelVersionId" or "batches" or "batchSize" or "device"
        || field == ModelField || field.StartsWith("training.", StringComparison.Ordinal);

    private bool IsSweepField(string field) => AsSweep && (field is "budget" or "parallelism" or "metric" or "direction" or "seed" or "space"
        or "earlyStopping.rungs" or "earlyStopping.reductionFactor" || (field.StartsWith("space.", StringComparison.Ordinal) && _sweep.Space.Any(d => field == $"space.{d.Field}")));

    private static long? ParseId(string? value) => long.TryParse(value, out var id) ? id : null;
}
