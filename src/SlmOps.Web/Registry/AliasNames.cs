using System.Text.RegularExpressions;

namespace SlmOps.Web.Registry;

/// <summary>Alias names: [a-z0-9-]+, at most 63 characters, never all digits (task@3 always means version 3).</summary>
public static partial class AliasNames
{
    public const int MaxLength = 63;

    public static void EnsureValid(string alias)
    {
        if (alias.Length is 0 or > MaxLength || !Allowed().IsMatch(alias))
        {
            throw new RegistryBadRequestException(
                $"Alias '{alias}' is not a valid name: use 1 to {MaxLength} lower-case letters, digits and hyphens, e.g. production or staging-eu.");
        }
        if (alias.All(char.IsAsciiDigit))
        {
            throw new RegistryBadRequestException(
                $"Alias '{alias}' is all digits, which would read as a version number (task@{alias}); add a letter, e.g. v{alias} or release-{alias}.");
        }
    }

    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex Allowed();
}
