namespace SlmOps.Data.Migrations;

/// <summary>One statement of a migration file and where it starts in the file.</summary>
public readonly record struct SqlStatement(string Text, int Offset);

/// <summary>
/// Splits a migration file into statements at top-level semicolons, skipping those inside quotes, quoted
/// identifiers, dollar-quoted bodies and comments. The runner executes statements one at a time so that
/// PostgreSQL's error position (counted from the start of the failing statement) maps back to a line of the file.
/// Not handled: SQL-standard <c>BEGIN ATOMIC ... END</c> function bodies (use a dollar-quoted body instead).
/// </summary>
public static class SqlScript
{
    public static IReadOnlyList<SqlStatement> Split(string sql)
    {
        var statements = new List<SqlStatement>();
        var start = 0;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == ';')
            {
                Add(statements, sql, start, i + 1);
                start = ++i;
            }
            else if (c == '-' && Next(sql, i) == '-')
            {
                i = SkipLineComment(sql, i);
            }
            else if (c == '/' && Next(sql, i) == '*')
            {
                i = SkipBlockComment(sql, i);
            }
            else if (c == '\'')
            {
                var backslashEscapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && !IsIdentifierChar(sql, i - 2);
                i = SkipQuoted(sql, i, '\'', backslashEscapes);
            }
            else if (c == '"')
            {
                i = SkipQuoted(sql, i, '"', backslashEscapes: false);
            }
            else if (c == '$' && !IsIdentifierChar(sql, i - 1) && TryDollarTag(sql, i, out var tag))
            {
                var end = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + tag.Length;
            }
            else
            {
                i++;
            }
        }

        Add(statements, sql, start, sql.Length);
        return statements;
    }

    private static void Add(List<SqlStatement> statements, string sql, int start, int end)
    {
        var text = sql[start..end];
        if (!IsOnlyCommentsAndWhitespace(text))
        {
            statements.Add(new SqlStatement(text, start));
        }
    }

    private static bool IsOnlyCommentsAndWhitespace(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]) || text[i] == ';')
            {
                i++;
            }
            else if (text[i] == '-' && Next(text, i) == '-')
            {
                i = SkipLineComment(text, i);
            }
            else if (text[i] == '/' && Next(text, i) == '*')
            {
                i = SkipBlockComment(text, i);
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static char Next(string sql, int i) => i + 1 < sql.Length ? sql[i + 1] : '\0';

    private static bool IsIdentifierChar(string sql, int i) =>
        i >= 0 && i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_');

    private static int SkipLineComment(string sql, int i)
    {
        var end = sql.IndexOf('\n', i);
        return end < 0 ? sql.Length : end + 1;
    }

    // PostgreSQL block comments nest.
    private static int SkipBlockComment(string sql, int i)
    {
        var depth = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && Next(sql, i) == '*')
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && Next(sql, i) == '/')
            {
                i += 2;
                if (--depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return i;
    }

    // A doubled quote is an escaped quote in both strings and identifiers.
    private static int SkipQuoted(string sql, int i, char quote, bool backslashEscapes)
    {
        i++;
        while (i < sql.Length)
        {
            if (backslashEscapes && sql[i] == '\\')
            {
                i += 2;
            }
            else if (sql[i] == quote)
            {
                if (Next(sql, i) != quote)
                {
                    return i + 1;
                }

                i += 2;
            }
            else
            {
                i++;
            }
        }

        return i;
    }

    // $$ or $tag$ where tag is an identifier that does not start with a digit ($1 is a parameter).
    private static bool TryDollarTag(string sql, int i, out string tag)
    {
        var j = i + 1;
        while (j < sql.Length && (char.IsLetterOrDigit(sql[j]) || sql[j] == '_'))
        {
            j++;
        }

        if (j < sql.Length && sql[j] == '$' && (j == i + 1 || !char.IsDigit(sql[i + 1])))
        {
            tag = sql[i..(j + 1)];
            return true;
        }

        tag = string.Empty;
        return false;
    }
}
