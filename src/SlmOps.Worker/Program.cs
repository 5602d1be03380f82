using Microsoft.Extensions.Diagnostics.HealthChecks;
using SlmOps.Hosting;
using SlmOps.Worker.Extensions;
using SlmOps.Worker.Tracking;

var builder = WebApplication.CreateBuilder(args);
// The broker: the local stack's in Development, else set or the worker does not start.
if (!builder.TryUseRequiredSettings(RequiredSettings.Broker)) return 1;

builder.Services.AddWorkerCapabilities(builder.Configuration);
// Ready: the broker, and the web host (tracking + artifacts) answering this worker's key. No database.
builder.Services.AddDependencyReadinessChecks(builder.Configuration)
    .AddCheck<WebHostReadinessCheck>("web-host", HealthStatus.Unhealthy, [HealthEndpoints.ReadyTag]);
builder.Services.AddWorkerRuns(builder.Configuration);
builder.Services.AddWorkerMessaging(builder.Configuration);

var app = builder.Build();

app.MapHealthEndpoints();

app.Run();
return 0;

/// <summary>Entry point type, public so integration tests can host the worker.</summary>
public partial class Program;
