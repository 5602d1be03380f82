namespace SlmOps.Cli.Api;

/// <summary>A request that did not succeed: an HTTP problem answer, or no answer at all.</summary>
public sealed class ApiException(int exitCode, string message, ApiProblem? problem = null, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    public ApiProblem? Problem { get; } = problem;

    public static ApiException FromProblem(string method, string path, ApiProblem problem) =>
        new(ExitCodes.ForStatus(problem.Status), $"{method} {path} answered {problem.Status} {problem.Title}", problem);

    public static ApiException Unreachable(Uri server, Exception cause) =>
        new(ExitCodes.Server, $"Could not reach the SlmOps server at {server}: {cause.Message.TrimEnd('.')}. Check --server / SLMOPS_SERVER (slmops configure show) and that the server is running.", null, cause);
}
