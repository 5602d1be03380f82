using SlmOps.Hosting;
using SlmOps.Web.Apis;
using SlmOps.Web.Artifacts;
using SlmOps.Web.BackgroundJobs;
using SlmOps.Web.Components;
using SlmOps.Web.Auth;
using SlmOps.Web.Extensions;
using SlmOps.Web.Runs;
using SlmOps.Web.Serving;
using SlmOps.Web.MlflowExport;
using SlmOps.Web.Sweeper;
using SlmOps.Web.Sweeps;
using SlmOps.Web.Tracking;

if (args is [WebCommands.Migrate, ..])
{
    return await WebCommands.MigrateAsync(args[1..]);
}
if (args is [CreateAdminKeyCommand.Name, ..])
{
    return await CreateAdminKeyCommand.RunAsync(args[1..], Console.Out, Console.Error);
}
if (args is [CreateWorkerKeyCommand.Name, ..])
{
    return await CreateWorkerKeyCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
// The broker, the database and the artifact folder: the local stack's in Development, else set or the host does not start.
if (!builder.TryUseRequiredSettings(ApiHostSettings.Host)) return 1;

builder.Services.AddOpenApi(options => options.AddApiKeySecurity());
builder.Services.AddApiJson();
builder.Services.AddApiProblemDetails();
builder.Services.AddDependencyReadinessChecks(builder.Configuration).AddPostgresReadinessCheck();
builder.Services.AddWebMessaging(builder.Configuration);
// The web host migrates only when told to (Database:MigrateOnStartup=true); otherwise `SlmOps.Web migrate` does.
builder.Services.AddSlmOpsData(builder.Configuration,
    data => data.MigrateOnStartup = builder.Configuration.GetValue("Database:MigrateOnStartup", false));
builder.Services.AddRuns();
// Tracking: the worker endpoints (claim, heartbeat, checkpoint, outcome); this host is PostgreSQL's only writer.
builder.Services.AddTracking();
// Background jobs: Hangfire on PostgreSQL runs the sweeper, pruning, webhook deliveries and the MLflow export.
builder.Services.AddBackgroundJobs(builder.Configuration);
builder.Services.AddSweeper(builder.Configuration);
// Sweeps: a parent run fanning out trials, scheduled by Hangfire jobs, with ASHA early stopping on the trials' heartbeats.
builder.Services.AddSweeps(builder.Configuration);
builder.Services.AddMlflowExport(builder.Configuration);
builder.Services.AddArtifactStore(builder.Configuration);
builder.Services.AddArtifactService(builder.Configuration);
builder.Services.AddDatasets(builder.Configuration);
builder.Services.AddLineage();
// Auth: API keys + dashboard cookie, role policies, antiforgery for the sign-in form.
builder.Services.AddSlmOpsAuth();
// Serving lives in its own host (SlmOps.Serving); this host forwards generate calls there and the playground uses it.
builder.Services.AddServingHostClient(builder.Configuration);
// Teams: who owns what, read shares, and the one place of the team rules (TeamAccess).
builder.Services.AddTeams();
builder.Services.AddRegistry();
builder.Services.AddWebhooks(builder.Configuration);
// Dashboard: Blazor (interactive server) + Radzen, its scripts and styles.
builder.AddDashboard();

var app = builder.Build();

app.UseSecurityHeaders();
app.UseApiProblemDetails();
app.MapOpenApi().AllowAnonymous();
// Auth: everything mapped after this line sees the caller. Deny by default: an endpoint without authorization
// metadata needs a signed-in viewer or higher (the fallback policy); /health*, /openapi, sign-in stay anonymous.
app.UseSlmOpsAuth();
app.MapAccountEndpoints();
app.MapApiKeysApi();
app.MapTeamsApi();
app.MapSharesApi();
app.MapHealthEndpoints();
app.MapRunsApi();
app.MapSweepsApi();
app.MapDatasetsApi();
app.MapArtifactsApi();
app.MapLineageApi();
app.MapWorkersApi();
app.MapWorkerEndpoints();
app.MapRegistryApi();
app.MapAliasesApi();
app.MapAuditApi();
app.MapWebhooksApi();
app.MapServingProxy();
app.MapJobsDashboard();
app.MapDashboard();

app.Run();
return 0;

/// <summary>Entry point type, public so integration tests can host the app.</summary>
public partial class Program;
