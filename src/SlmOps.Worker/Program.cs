using SlmOps.Hosting;
using SlmOps.Worker.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddSlmOpsDevelopmentDefaults();

builder.Services.AddWorkerCapabilities(builder.Configuration);
builder.Services.AddDependencyReadinessChecks(builder.Configuration);
builder.Services.AddWorkerRuns(builder.Configuration);
builder.Services.AddWorkerMessaging(builder.Configuration);

var app = builder.Build();

app.MapHealthEndpoints();

app.Run();

/// <summary>Entry point type, public so integration tests can host the worker.</summary>
public partial class Program;
