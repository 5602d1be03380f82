namespace SlmOps.ApiHost.Auth;

/// <summary>Names shared by the authentication schemes, the sign-in endpoints and the tests.</summary>
public static class AuthSchemes
{
    /// <summary>The default scheme: forwards to <see cref="ApiKey"/> when a key header is present, else to <see cref="Cookie"/>.</summary>
    public const string Default = "SlmOps";
    public const string ApiKey = "ApiKey";
    public const string Cookie = "SlmOpsCookie";

    public const string ApiKeyHeader = "X-Api-Key";
    public const string CookieName = "slmops.auth";
    public const string SignInPath = "/signin";

    public const string RoleClaim = System.Security.Claims.ClaimTypes.Role;
    public const string NameClaim = System.Security.Claims.ClaimTypes.Name;
    public const string KeyPrefixClaim = "slmops:key_prefix";

    /// <summary>The key's team (<c>TeamAccess</c> reads it).</summary>
    public const string TeamClaim = "slmops:team";
}
