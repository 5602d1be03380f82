using System.Security.Cryptography;
using System.Text;

namespace SlmOps.ApiHost.Auth;

/// <summary>
/// Keys look like <c>slm_&lt;prefix&gt;_&lt;secret&gt;</c>: an 8-character lowercase prefix that names the key in
/// lists and logs, and a 40-character secret (about 238 bits) from the OS CSPRNG. Only the SHA-256 of the whole
/// key is stored, so a database dump does not hand out working keys.
/// </summary>
public static class ApiKeyFormat
{
    public const string Marker = "slm_";
    public const int PrefixLength = 8;
    public const int SecretLength = 40;

    private const string PrefixAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static (string Key, string Prefix) Generate()
    {
        var prefix = RandomNumberGenerator.GetString(PrefixAlphabet, PrefixLength);
        var secret = RandomNumberGenerator.GetString(SecretAlphabet, SecretLength);
        return ($"{Marker}{prefix}_{secret}", prefix);
    }

    /// <summary>The prefix of a well-formed key; false for anything else (which then never reaches the database).</summary>
    public static bool TryGetPrefix(string key, out string prefix)
    {
        prefix = "";
        if (key.Length < Marker.Length + PrefixLength + 1 + 32 || !key.StartsWith(Marker, StringComparison.Ordinal)) return false;
        if (key[Marker.Length + PrefixLength] != '_') return false;
        var candidate = key.Substring(Marker.Length, PrefixLength);
        if (!candidate.All(c => PrefixAlphabet.Contains(c))) return false;
        prefix = candidate;
        return true;
    }

    /// <summary>Lowercase hex SHA-256 of the whole key, as stored in api_keys.key_hash.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool HashMatches(string key, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(key)), Encoding.ASCII.GetBytes(storedHash));

    /// <summary>How a key is shown once it has been issued: the prefix only.</summary>
    public static string Display(string prefix) => $"{Marker}{prefix}_…";
}
