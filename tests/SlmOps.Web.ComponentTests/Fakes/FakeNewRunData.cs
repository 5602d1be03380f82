using SlmOps.Contracts;
using SlmOps.Web.Components.Pages.NewRun;
using SlmOps.Web.Runs;
using SlmOps.Web.Sweeps;
using SlmOps.Web.Teams;

namespace SlmOps.Web.ComponentTests.Fakes;

/// <summary>The new-run page's data without PostgreSQL: fixed choices and runs; submissions are recorded and answered by <see cref="Answer"/>.</summary>
public sealed class FakeNewRunData : INewRunData
{
    public sealed record Submission(RunKind Kind, SubmitRunRequest Request, Guid? ClonedFrom, string Actor);

    public NewRunChoices Choices { get; set; } = new(
        [new NewRunChoice(4, "corpus v1"), new NewRunChoice(5, "corpus v2 (prepared)")], [new NewRunChoice(5, "corpus v2")],
        [new NewRunChoice(3, "llm v1")], [new NewRunChoice(9, "task v1")]);

    public Dictionary<Guid, RunDto> Stored { get; } = [];
    public List<Submission> Submissions { get; } = [];

    /// <summary>What a submission answers; by default a queued run of the submitted kind.</summary>
    public Func<Submission, RunSubmissionResult> Answer { get; set; } = submission =>
        new(RunRows.Dto(submission.Kind, submission.Request.Name, submission.Request.Spec.GetRawText(), status: RunStatus.Queued), new Dictionary<string, string[]>(), null);

    public Task<NewRunChoices> LoadChoicesAsync(TeamCaller caller) => Task.FromResult(Choices);

    public Task<RunDto?> GetRunAsync(TeamCaller caller, Guid id) => Task.FromResult(Stored.GetValueOrDefault(id));

    public List<SubmitRunRequest> SweepSubmissions { get; } = [];

    /// <summary>What a sweep submission answers; by default the errors of an empty space.</summary>
    public Func<SubmitRunRequest, SweepSubmissionResult> SweepAnswer { get; set; } = _ =>
        new(null, new Dictionary<string, string[]> { ["space"] = ["Give at least one spec field to vary."] }, "The sweep spec has 1 invalid field(s).");

    public Task<SweepSubmissionResult> SubmitSweepAsync(SubmitRunRequest request, TeamCaller caller)
    {
        SweepSubmissions.Add(request);
        return Task.FromResult(SweepAnswer(request));
    }

    public Task<RunSubmissionResult> SubmitAsync(RunKind kind, SubmitRunRequest request, Guid? clonedFrom, TeamCaller caller)
    {
        var submission = new Submission(kind, request, clonedFrom, caller.Name);
        Submissions.Add(submission);
        return Task.FromResult(Answer(submission));
    }
}
