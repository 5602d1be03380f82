using SlmOps.Hosting;

namespace SlmOps.Web.Hosting;

/// <summary>What the web host and its one-shot commands cannot run without (<see cref="RequiredSettings"/> decides how).</summary>
public static class WebSettings
{
    public static readonly RequiredSetting Postgres = new(
        "ConnectionStrings:Postgres", "the PostgreSQL connection string, e.g. Host=db;Port=5432;Database=slmops;Username=...;Password=...",
        "Host=127.0.0.1;Port=5433;Database=slmops;Username=slmops;Password=slmops");

    public static readonly RequiredSetting ArtifactsRoot = new(
        ArtifactStoreExtensions.RootSetting, "the artifact store's folder", ArtifactStoreExtensions.DefaultRoot);

    /// <summary>The server: the broker, the database and the artifact store.</summary>
    public static readonly IReadOnlyList<RequiredSetting> Host = [.. RequiredSettings.Broker, Postgres, ArtifactsRoot];

    /// <summary>`migrate`, `create-admin-key`, `create-worker-key`: the database only.</summary>
    public static readonly IReadOnlyList<RequiredSetting> Commands = [Postgres];
}
