namespace SlmOps.Cli.Client;

/// <summary>TASK, TASK@ALIAS or TASK@N (a version number); no suffix means the server's default alias (production).</summary>
public sealed record ModelTarget(string Task, string? Alias, int? Version)
{
    public static ModelTarget Parse(string text)
    {
        var at = text.IndexOf('@');
        if (at < 0) return new ModelTarget(RequireTask(text, text), null, null);
        var task = RequireTask(text[..at], text);
        var selector = text[(at + 1)..];
        if (selector.Length == 0) throw new ArgumentException($"'{text}' has nothing after '@'; use TASK@production, TASK@staging or TASK@3.");
        return int.TryParse(selector, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? new ModelTarget(task, null, version)
            : new ModelTarget(task, selector, null);
    }

    private static string RequireTask(string task, string text) =>
        task.Length > 0 ? task : throw new ArgumentException($"'{text}' names no task; use TASK, TASK@ALIAS or TASK@N.");

    public override string ToString() => Version is { } v ? $"{Task}@{v}" : Alias is { } a ? $"{Task}@{a}" : Task;
}
