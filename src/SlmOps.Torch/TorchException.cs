namespace SlmOps.Torch;

/// <summary>A libtorch operation failed; the message is libtorch's own, without the C++ backtrace.</summary>
public sealed class TorchException : Exception
{
    public TorchException(string message)
        : base(message)
    {
    }

    public TorchException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Keeps the human part of a c10 error: everything before "Exception raised from" or a frame list.</summary>
    internal static string Clean(string message)
    {
        var lines = message.Split('\n');
        var kept = new List<string>();
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (line.StartsWith("Exception raised from", StringComparison.Ordinal) ||
                line.StartsWith("frame #", StringComparison.Ordinal))
            {
                break;
            }

            if (line.Length > 0)
            {
                kept.Add(line);
            }
        }

        return kept.Count == 0 ? message.Trim() : string.Join('\n', kept);
    }
}
