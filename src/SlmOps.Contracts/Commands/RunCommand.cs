namespace SlmOps.Contracts.Commands;

/// <summary>
/// Every command names a run that already exists in PostgreSQL. The message is only a hint that work exists:
/// the worker claims the run with a conditional UPDATE, so a duplicate delivery is harmless.
/// </summary>
public interface IRunCommand
{
    Guid RunId { get; }

    /// <summary>The attempt the sender expects to start; a worker ignores a message for an older attempt.</summary>
    int Attempt { get; }
}
