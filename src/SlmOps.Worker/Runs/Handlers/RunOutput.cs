using SlmOps.Contracts.Workers;

namespace SlmOps.Worker.Runs.Handlers;

/// <summary>What a handler produced (one of the three, by kind); a cancelled run produces none (null).</summary>
public sealed record RunOutput(PreparedOutput? Prepared = null, ModelOutput? Model = null, EvaluationOutput? Evaluation = null);

/// <summary>Executes one kind of run on the training thread.</summary>
public interface IRunHandler
{
    /// <returns>The output, or null when the run was cancelled.</returns>
    RunOutput? Execute(RunContext context);
}
