using SlmOps.Hosting;

namespace SlmOps.ApiHost;

/// <summary>What the API hosts (web and serving) and the web host's one-shot commands cannot run without (<see cref="RequiredSettings"/> decides how).</summary>
public static class ApiHostSettings
{
    public static readonly RequiredSetting Postgres = new(
        "ConnectionStrings:Postgres", "the PostgreSQL connection string, e.g. Host=db;Port=5432;Database=slmops;Username=...;Password=...",
        "Host=127.0.0.1;Port=5433;Database=slmops;Username=slmops;Password=slmops");

    public static readonly RequiredSetting ArtifactsRoot = new(
        ArtifactStoreExtensions.RootSetting, "the artifact store's folder", ArtifactStoreExtensions.DefaultRoot);

    /// <summary>A host: the broker, the database and the artifact store.</summary>
    public static readonly IReadOnlyList<RequiredSetting> Host = [.. RequiredSettings.Broker, Postgres, ArtifactsRoot];

    /// <summary>`migrate`, `create-admin-key`, `create-worker-key`: the database only.</summary>
    public static readonly IReadOnlyList<RequiredSetting> Commands = [Postgres];
}
