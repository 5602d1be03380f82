namespace SlmOps.Web.Components.Shared;

/// <summary>
/// A fresh DI scope (and so a fresh DbContext) per dashboard query: a circuit lives for minutes and its events
/// arrive on other threads, so it must not hold one DbContext across them.
/// </summary>
public sealed class DashboardScope(IServiceScopeFactory scopes)
{
    public async Task<T> RunAsync<T>(Func<IServiceProvider, Task<T>> query)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await query(scope.ServiceProvider);
    }
}
