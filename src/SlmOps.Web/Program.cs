using SlmOps.Hosting;
using SlmOps.Web.Extensions;

if (args is [WebCommands.Migrate, ..])
{
    return await WebCommands.MigrateAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddSlmOpsDevelopmentDefaults();

builder.Services.AddOpenApi();
builder.Services.AddDependencyReadinessChecks(builder.Configuration);
builder.Services.AddWebMessaging(builder.Configuration);

var app = builder.Build();

app.MapOpenApi();
app.MapHealthEndpoints();

app.Run();
return 0;

/// <summary>Entry point type, public so integration tests can host the app.</summary>
public partial class Program;
