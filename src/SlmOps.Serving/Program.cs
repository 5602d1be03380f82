using SlmOps.Hosting;
using SlmOps.Serving.Apis;
using SlmOps.Serving.Hosting;
using SlmOps.Serving.OpenAi;

namespace SlmOps.Serving;

/// <summary>
/// The serving host's entry point. A named class rather than top-level statements: the web host's <c>Program</c> is
/// public in the global namespace, and tests host both in one process.
/// </summary>
public sealed class ServingProgram
{
    private ServingProgram() { }

    public static int Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // The broker, the database and the artifact store: the local stack's values in Development, required elsewhere.
        if (!builder.TryUseRequiredSettings(ApiHostSettings.Host)) return 1;

        builder.Services.AddApiJson();
        builder.Services.AddApiProblemDetails();
        // Ready: PostgreSQL (the registry and the API keys) and the broker (alias moves).
        builder.Services.AddDependencyReadinessChecks(builder.Configuration).AddPostgresReadinessCheck();
        // The registry, read only: this host never migrates or writes it (API keys' last use aside).
        builder.Services.AddSlmOpsData(builder.Configuration, data => data.MigrateOnStartup = false);
        builder.Services.AddArtifactStore(builder.Configuration);
        // The same API keys and roles as the web host; no dashboard cookie here.
        builder.Services.AddApiKeysAndRoles(AuthSchemes.ApiKey).AddApiKeyScheme();
        builder.Services.AddServing(builder.Configuration);
        // Alias moves from any web instance: prefetch the version the alias now names.
        builder.Services.AddServingMessaging(builder.Configuration);

        var app = builder.Build();

        app.UseSecurityHeaders();
        app.UseApiProblemDetails();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        app.MapGenerateApi();
        app.MapOpenAiApi();

        app.Run();
        return 0;
    }
}
