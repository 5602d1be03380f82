using Microsoft.AspNetCore.Http.HttpResults;
using SlmOps.Web.Registry;

namespace SlmOps.Web.Teams;

/// <summary>A refused team access as problem details: 403 naming the owning team and the role needed (404 is the caller's
/// own "not found" answer, so a hidden object reads exactly like a missing one).</summary>
public static class TeamProblems
{
    public static ProblemHttpResult Forbidden(AccessDecision decision) =>
        TypedResults.Problem(decision.Detail, statusCode: StatusCodes.Status403Forbidden, title: decision.Title, extensions: decision.Extensions);

    /// <summary>The API answer for a decision that is not <see cref="AccessOutcome.Allowed"/>.</summary>
    public static ProblemHttpResult Refused(AccessDecision decision, Func<ProblemHttpResult> notFound) =>
        decision.Outcome == AccessOutcome.Forbidden ? Forbidden(decision) : notFound();
}

/// <summary>A 403 of the team rules, for services that answer with exceptions (the registry, the teams service).</summary>
public sealed class TeamAccessDeniedException(AccessDecision decision)
    : RegistryException(StatusCodes.Status403Forbidden, decision.Title, decision.Detail, decision.Extensions)
{
    public AccessDecision Decision { get; } = decision;
}
