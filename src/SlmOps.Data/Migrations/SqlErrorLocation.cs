using Npgsql;

namespace SlmOps.Data.Migrations;

/// <summary>
/// Turns PostgreSQL's error position into a line and column of the migration file, so the message names the
/// place to fix. Npgsql sends a multi-statement file as a batch and PostgreSQL counts the position from the start
/// of the failing statement, so the statement is located in the file first.
/// </summary>
internal static class SqlErrorLocation
{
    public static string Describe(PostgresException error, string fileSql)
    {
        var statement = error.BatchCommand?.CommandText;
        var statementStart = string.IsNullOrEmpty(statement) ? -1 : fileSql.IndexOf(statement, StringComparison.Ordinal);

        if (error.Position > 0 && statementStart >= 0)
        {
            var offset = Math.Min(statementStart + error.Position - 1, fileSql.Length);
            var (line, column) = LineAndColumn(fileSql, offset);
            return $"line {line}, column {column}: {LineAt(fileSql, offset).Trim()}";
        }

        if (statementStart >= 0)
        {
            var (line, _) = LineAndColumn(fileSql, statementStart);
            return $"in the statement starting at line {line}: {FirstLine(statement!)}";
        }

        return error.Position > 0 ? $"at character {error.Position}" : "position not reported";
    }

    private static (int Line, int Column) LineAndColumn(string text, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }

    private static string LineAt(string text, int offset)
    {
        var start = offset == 0 ? 0 : text.LastIndexOf('\n', Math.Max(offset - 1, 0)) + 1;
        var end = text.IndexOf('\n', offset);
        return text[start..(end < 0 ? text.Length : end)];
    }

    private static string FirstLine(string statement)
    {
        var trimmed = statement.TrimStart();
        var end = trimmed.IndexOf('\n');
        return end < 0 ? trimmed : trimmed[..end].TrimEnd();
    }
}
