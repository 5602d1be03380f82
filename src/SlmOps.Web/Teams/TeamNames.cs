using System.Text.RegularExpressions;

namespace SlmOps.Web.Teams;

/// <summary>Team names: 1 to 64 of a-z, 0-9 and '-' (they appear in URLs, claims and on every object).</summary>
public static partial class TeamNames
{
    public const int MaxLength = 64;

    /// <summary>Why <paramref name="name"/> cannot be a team's name, or null when it can.</summary>
    public static string? Problem(string? name) => name is not null && Pattern().IsMatch(name)
        ? null
        : $"A team name is 1 to {MaxLength} characters of a-z, 0-9 and '-', e.g. 'vision' or 'search-ranking'; got '{name}'.";

    [GeneratedRegex("^[a-z0-9-]{1,64}$")]
    private static partial Regex Pattern();
}
