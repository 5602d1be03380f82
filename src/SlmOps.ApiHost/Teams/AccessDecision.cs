using SlmOps.ApiHost.Auth;
using SlmOps.Data.Entities;

namespace SlmOps.ApiHost.Teams;

/// <summary>What <see cref="TeamAccess"/> decided. <see cref="NotFound"/>: the caller may not even see the object, so it
/// is answered exactly like one that does not exist (404), and no name leaks.</summary>
public enum AccessOutcome { Allowed, NotFound, Forbidden }

/// <summary>What a right on a team's object needs: reading (viewer), writing (editor), moving aliases (promoter).</summary>
public enum TeamRight { Read, Write, Promote }

/// <summary>
/// The verdict on one object: the outcome, and for a refusal (403) the team that owns the object and the role needed
/// there, which the problem details name.
/// </summary>
public sealed record AccessDecision(AccessOutcome Outcome, string Kind, string Name, string OwnerTeam, TeamRight Right, TeamCaller Caller)
{
    public bool Allowed => Outcome == AccessOutcome.Allowed;

    /// <summary>The role the right needs in the owning team.</summary>
    public ApiKeyRole NeededRole => TeamAccess.RoleFor(Right);

    public string Title => $"The {Kind} belongs to team '{OwnerTeam}'";

    public string Detail =>
        $"{Capitalized(Kind)} '{Name}' belongs to team '{OwnerTeam}'; {Verb} it needs the {ApiRoles.Name(NeededRole)} role in team '{OwnerTeam}' (or admin). " +
        (Caller.Team == OwnerTeam
            ? $"The key {Caller} has a lower role there; use a key with that role, or ask an admin for one."
            : Right == TeamRight.Read
                ? $"The key {Caller} is not in that team; ask team '{OwnerTeam}' to share it with team '{Caller.Team}'."
                : $"The key {Caller} is not in that team, and writing and promoting never cross teams, even for a shared {Kind}: " +
                  $"use a key of team '{OwnerTeam}', or ask one of its members.");

    /// <summary>The problem details' extra fields.</summary>
    public Dictionary<string, object?> Extensions => new()
    {
        ["ownerTeam"] = OwnerTeam, ["requiredRole"] = ApiRoles.Name(NeededRole), ["team"] = Caller.Team, ["role"] = Caller.RoleName,
    };

    private string Verb => Right switch
    {
        TeamRight.Read => "reading",
        TeamRight.Write => "changing",
        _ => "promoting or rolling back",
    };

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
