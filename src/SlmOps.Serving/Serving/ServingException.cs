namespace SlmOps.Serving;

/// <summary>A generate request serving cannot answer as asked; the message says what to do, the status is the answer's.</summary>
public sealed class ServingException(int status, string title, string message, IReadOnlyDictionary<string, object?>? details = null)
    : Exception(message)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public IReadOnlyDictionary<string, object?> Details { get; } = details ?? new Dictionary<string, object?>();
}
