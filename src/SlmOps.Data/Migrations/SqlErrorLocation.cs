using Npgsql;

namespace SlmOps.Data.Migrations;

/// <summary>
/// Turns PostgreSQL's error position, counted from the start of the failing statement, into a line and column of
/// the migration file, so the message names the place to fix.
/// </summary>
internal static class SqlErrorLocation
{
    public static string Describe(PostgresException error, string fileSql, SqlStatement statement)
    {
        var offset = error.Position > 0
            ? Math.Min(statement.Offset + error.Position - 1, fileSql.Length)
            : FirstNonWhitespace(fileSql, statement.Offset);
        var (line, column) = LineAndColumn(fileSql, offset);
        var where = error.Position > 0 ? $"line {line}, column {column}" : $"in the statement starting at line {line}";
        return $"{where}: {LineAt(fileSql, offset).Trim()}";
    }

    private static int FirstNonWhitespace(string text, int offset)
    {
        while (offset < text.Length && char.IsWhiteSpace(text[offset]))
        {
            offset++;
        }

        return offset;
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
        var start = offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;
        var end = text.IndexOf('\n', offset);
        return text[start..(end < 0 ? text.Length : end)];
    }
}
