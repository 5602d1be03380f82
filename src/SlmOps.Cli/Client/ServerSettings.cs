using SlmOps.Cli.Config;

namespace SlmOps.Cli.Client;

/// <summary>Which server and key a command uses: the option, else the environment variable, else the config file.</summary>
public static class ServerSettings
{
    public const string ServerVariable = "SLMOPS_SERVER";
    public const string KeyVariable = "SLMOPS_API_KEY";

    public static (Uri Server, string? Key) Resolve(CliContext context, string? serverOption, string? keyOption)
    {
        var config = CliConfig.Load(context.ConfigPath);
        var server = First(serverOption, context.Env(ServerVariable), config.Server)
            ?? throw new ArgumentException(
                $"No server configured. Run `slmops configure --server URL --key KEY`, set {ServerVariable}, or pass --server.");
        var key = First(keyOption, context.Env(KeyVariable), config.ApiKey);
        return (ParseServer(server), key);
    }

    /// <summary>An absolute http(s) URL, normalised to end with '/' so API paths append to it.</summary>
    public static Uri ParseServer(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"'{text}' is not a server URL; give one like http://localhost:5000.");
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
