using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using SlmOps.Contracts.Events;
using SlmOps.Web.Live;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Components.Shared;

/// <summary>
/// A page that loads once, then reloads (at most every <see cref="RefreshInterval"/>) when a relevant run event
/// arrives from a worker, instead of polling the database. It knows the signed-in user (<see cref="Caller"/>, whose team
/// decides what the page may show) and the team the page is filtered to (<see cref="TeamFilter"/>, the team switcher's
/// <c>?team=</c>).
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    private IDisposable? _subscription;
    private ThrottledRefresh? _refresh;

    [Inject] protected RunEventHub Events { get; set; } = default!;
    [Inject] protected DashboardScope Data { get; set; } = default!;
    [Inject] protected NavigationManager PageLocation { get; set; } = default!;
    [CascadingParameter] protected Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The signed-in user (null before the authentication state is known).</summary>
    protected ClaimsPrincipal? User { get; private set; }

    /// <summary>The user as the team rules see it.</summary>
    protected TeamCaller Caller => DashboardUser.Caller(User);

    /// <summary>The team the page lists (the switcher's choice); null: every team the user sees.</summary>
    protected string? TeamFilter => DashboardUser.TeamFilter(PageLocation);

    protected virtual TimeSpan RefreshInterval => TimeSpan.FromMilliseconds(750);

    /// <summary>Set when the last load failed; pages show it instead of stale data.</summary>
    protected string? LoadError { get; private set; }

    protected abstract Task LoadAsync();

    /// <summary>Whether an event should trigger a reload of this page (all events by default).</summary>
    protected virtual bool IsRelevant(IRunEvent runEvent) => true;

    protected override async Task OnInitializedAsync()
    {
        User = AuthenticationState is null ? null : (await AuthenticationState).User;
        _refresh = new ThrottledRefresh(() => InvokeAsync(async () =>
        {
            await SafeLoadAsync();
            StateHasChanged();
        }), RefreshInterval);
        _subscription = Events.Subscribe(runEvent =>
        {
            if (IsRelevant(runEvent)) _refresh.Request();
            return Task.CompletedTask;
        });
        await SafeLoadAsync();
    }

    /// <summary>Reload now (after an action of the user's own).</summary>
    protected Task ReloadAsync() => SafeLoadAsync();

    private async Task SafeLoadAsync()
    {
        try
        {
            await LoadAsync();
            LoadError = null;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LoadError = $"Could not load this page's data: {error.Message}. Check /health/ready; the page reloads on the next run event.";
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _refresh?.Dispose();
        GC.SuppressFinalize(this);
    }
}
