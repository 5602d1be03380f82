using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Hosting;

namespace SlmOps.Hosting;

/// <summary>
/// The one place that decides what a host may assume about its connection settings. In the Development environment the
/// local stack's values (<b>dev-only</b> credentials) fill whatever no other source sets, at the lowest precedence, so
/// appsettings, environment variables and command-line arguments all override them. In any other environment nothing is
/// assumed: a missing setting stops the host at start with a message naming it and how to set it, so a production host
/// never silently connects with the development credentials.
/// </summary>
public static class RequiredSettings
{
    /// <summary>The broker, which both hosts need. The port is RabbitMQ's standard 5672 unless RabbitMq:Port says otherwise.</summary>
    public static readonly IReadOnlyList<RequiredSetting> Broker =
    [
        new("RabbitMq:Host", "the RabbitMQ host name or address", "127.0.0.1"),
        new("RabbitMq:VirtualHost", "the RabbitMQ virtual host", "slmops"),
        new("RabbitMq:Username", "the RabbitMQ user", "slmops"),
        new("RabbitMq:Password", "the RabbitMQ user's password", "slmops"),
    ];

    /// <summary>
    /// Fills <paramref name="settings"/> with their development values at the lowest precedence, then, outside
    /// Development, checks that every one is set. False, after writing what is missing and how to set it to
    /// <paramref name="error"/> (stderr by default), when the host must not start.
    /// </summary>
    public static bool TryUseRequiredSettings(
        this IHostApplicationBuilder builder, IReadOnlyList<RequiredSetting> settings, TextWriter? error = null)
    {
        var environment = builder.Environment.EnvironmentName;
        builder.Configuration.AddDevelopmentValues(environment, settings);
        var missing = Missing(builder.Configuration, environment, settings);
        if (missing.Count == 0) return true;
        (error ?? Console.Error).WriteLine(Explain(builder.Environment.ApplicationName, environment, missing));
        return false;
    }

    /// <summary>In Development only: the settings' development values, below every other source.</summary>
    public static IConfigurationBuilder AddDevelopmentValues(
        this IConfigurationBuilder configuration, string environmentName, IEnumerable<RequiredSetting> settings)
    {
        if (!IsDevelopment(environmentName)) return configuration;
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.DevelopmentValue)).ToList(),
        });
        return configuration;
    }

    /// <summary>
    /// Outside Development, the settings no source sets (absent or blank). In Development none: the development values
    /// filled the gaps, and a value set blank on purpose is the caller's to make (readiness then names it).
    /// </summary>
    public static IReadOnlyList<RequiredSetting> Missing(
        IConfiguration configuration, string environmentName, IEnumerable<RequiredSetting> settings) =>
        IsDevelopment(environmentName) ? [] : settings.Where(s => string.IsNullOrWhiteSpace(configuration[s.Key])).ToList();

    /// <summary>Why <paramref name="program"/> does not start, naming each missing setting and every way to set it.</summary>
    public static string Explain(string program, string environmentName, IReadOnlyList<RequiredSetting> missing)
    {
        var lines = missing.Select(s =>
            $"  {s.Key} ({s.Description}): set the environment variable {s.EnvironmentVariable}, pass --{s.Key}=VALUE, or put it in appsettings.json");
        return $"{program} does not start: the environment is '{environmentName}' and {(missing.Count == 1 ? "this setting is" : "these settings are")} not set:{Environment.NewLine}" +
               string.Join(Environment.NewLine, lines) + Environment.NewLine +
               $"Only the Development environment (ASPNETCORE_ENVIRONMENT={Environments.Development}) assumes the local stack's values (deploy/stack.sh; dev-only credentials).";
    }

    /// <summary>
    /// The environment a one-shot command runs in, read as the host reads it: ASPNETCORE_ENVIRONMENT, else
    /// DOTNET_ENVIRONMENT, else Production.
    /// </summary>
    public static string CommandEnvironmentName() =>
        Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is { Length: > 0 } aspnet ? aspnet
        : Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 } dotnet ? dotnet
        : Environments.Production;

    private static bool IsDevelopment(string environmentName) =>
        string.Equals(environmentName, Environments.Development, StringComparison.OrdinalIgnoreCase);
}
