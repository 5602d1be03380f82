using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using SlmOps.Contracts.Events;
using SlmOps.Data.Entities;
using SlmOps.Web.Registry;

namespace SlmOps.Web.Components.Pages.Registry;

/// <summary>
/// Task models, their versions with evaluation metrics, aliases and audit trail. Promotion and rollback go through
/// <see cref="AliasService"/> (the same gate, lock and audit as the aliases API) after a confirmation that shows
/// the gate's verdict.
/// </summary>
public partial class Registry
{
    [Parameter] public string? Task { get; set; }
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IRegistryData Store { get; set; } = default!;

    private IReadOnlyList<TaskModelDto>? _tasks;
    private TaskModelDetailDto? _task;
    private IReadOnlyList<AliasDto> _aliases = [];
    private IReadOnlyList<AuditEntryDto> _audit = [];
    private RegistryDialogState? _dialog;
    private string? _notice;
    private bool _busy;

    // Promotable only by a promoter of the task's own team (or an admin): a task shared with the user's team is read only.
    private bool CanPromote => _task is { } task && DashboardUser.CanPromote(User, task.Team);

    // New versions arrive with finished fine-tune and evaluate runs.
    protected override bool IsRelevant(IRunEvent runEvent) => runEvent is RunCompleted;

    protected override async Task OnParametersSetAsync()
    {
        if (_tasks is not null && _task?.Name != Task)
        {
            _dialog = null;
            _notice = null;
            await ReloadAsync();
        }
    }

    protected override async Task LoadAsync()
    {
        var view = await Store.LoadAsync(DashboardUser.Caller(User), Task, TeamFilter);
        (_tasks, _task, _aliases, _audit) = (view.Tasks, view.Task, view.Aliases, view.Audit);
    }

    private async Task OpenPromoteAsync(int version)
    {
        _notice = null;
        _dialog = RegistryDialogState.Promote(_task!.Name, version);
        await RecheckGateAsync();
    }

    /// <summary>Asks the gate (changes nothing) for the dialog's version and alias.</summary>
    private async Task RecheckGateAsync()
    {
        if (_dialog is not { IsRollback: false } dialog) return;
        dialog.Error = null;
        dialog.Gate = null;
        try
        {
            dialog.Gate = await Store.CheckGateAsync(DashboardUser.Caller(User), dialog.Task, dialog.Alias.Trim(), dialog.Version);
        }
        catch (RegistryException error)
        {
            dialog.Error = error.Message;
        }
    }

    private async Task ConfirmAsync()
    {
        if (_dialog is not { } dialog || _busy) return;
        var caller = DashboardUser.Caller(User);
        _busy = true;
        dialog.Error = null;
        try
        {
            if (dialog.IsRollback)
            {
                var moved = await Store.RollbackAsync(dialog.Task, dialog.Alias, dialog.Reason, caller);
                _notice = $"Rolled {dialog.Task}@{moved.Name} back to version {moved.Version}.";
            }
            else
            {
                var force = dialog.Force && dialog.Gate is { Passes: false };
                var moved = await Store.PromoteAsync(dialog.Task, dialog.Alias.Trim(), new SetAliasRequest(dialog.Version, null, force, dialog.Reason), caller);
                _notice = $"{moved.Task}@{moved.Name} now points at version {moved.Version}" + (force ? " (forced past the gate)." : ".");
            }
            _dialog = null;
            await ReloadAsync();
        }
        catch (RegistryException error)
        {
            dialog.Error = error.Message;
        }
        finally
        {
            _busy = false;
        }
    }
}
