using System.Net;

namespace SlmOps.Web.MlflowExport;

/// <summary>An MLflow request answered with an error status; <see cref="ErrorCode"/> is MLflow's, when it sent one.</summary>
public sealed class MlflowApiException(string path, HttpStatusCode status, string? errorCode, string? detail)
    : Exception($"MLflow {path} answered {(int)status} {errorCode}: {detail}")
{
    public HttpStatusCode Status { get; } = status;
    public string? ErrorCode { get; } = errorCode;
}
