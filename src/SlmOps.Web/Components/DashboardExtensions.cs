using Radzen;
using SlmOps.Web.Components.Pages.NewRun;
using SlmOps.Web.Components.Pages.Overview;
using SlmOps.Web.Components.Pages.Playground;
using SlmOps.Web.Components.Pages.Registry;
using SlmOps.Web.Components.Pages.Sweeps;
using SlmOps.Web.Components.Shared;

namespace SlmOps.Web.Components;

/// <summary>Wiring of the Blazor dashboard (interactive server rendering, Radzen) and the files it loads.</summary>
public static class DashboardExtensions
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        // Package assets (_content/Radzen.Blazor/...) come from the static web assets manifest next to the build
        // output in every environment, not only Development; a publish output has them under wwwroot instead.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();
        builder.Services.AddLiveRunEvents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddSingleton<DashboardScope>();
        builder.Services.AddSingleton<QueueDepths>();
        // The pages' data behind interfaces, so component tests stub them without PostgreSQL.
        builder.Services.AddSingleton<IOverviewData, OverviewData>();
        builder.Services.AddSingleton<INewRunData, NewRunData>();
        builder.Services.AddSingleton<IRegistryData, RegistryData>();
        builder.Services.AddSingleton<IPlaygroundData, PlaygroundData>();
        builder.Services.AddSingleton<ISweepPageData, SweepPageData>();
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        // wwwroot, Radzen's package files and the SDK's _framework/blazor.web.js, all from the static assets manifest.
        // They are endpoints, so the deny-by-default fallback policy would cover them: the sign-in page needs them first.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
