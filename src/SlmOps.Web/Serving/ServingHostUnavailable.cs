namespace SlmOps.Web.Serving;

/// <summary>The serving host cannot be asked: not configured, or not answering. The message says which and what to do.</summary>
public sealed class ServingHostUnavailable(string message, Exception? inner = null) : Exception(message, inner)
{
    public static ServingHostUnavailable NotConfigured() => new(
        $"No serving host is configured: set {ServingHostOptions.Section}:Url to the base URL of SlmOps.Serving " +
        "(deploy/up.sh starts one and sets it).");

    public static ServingHostUnavailable NoKey() => new(
        $"The dashboard generates through the serving host with this web host's own key, and {ServingHostOptions.Section}:Key is not set; " +
        "set it to a key the serving host accepts (deploy/up.sh creates one).");

    public static ServingHostUnavailable Unreachable(Uri url, Exception error) => new(
        $"The serving host at {url} does not answer ({error.GetBaseException().Message}); check that SlmOps.Serving is running and its /health/ready.", error);
}
