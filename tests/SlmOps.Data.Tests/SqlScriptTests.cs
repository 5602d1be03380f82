using SlmOps.Data.Migrations;

namespace SlmOps.Data.Tests;

public sealed class SqlScriptTests
{
    [Fact]
    public void Splits_at_top_level_semicolons_and_keeps_offsets_into_the_file()
    {
        const string sql = "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);";

        var statements = SqlScript.Split(sql);

        Assert.Equal(2, statements.Count);
        Assert.Equal("CREATE TABLE a (id int);", statements[0].Text);
        Assert.Equal(0, statements[0].Offset);
        Assert.Equal("\nINSERT INTO a VALUES (1);", statements[1].Text);
        Assert.Equal(sql.IndexOf('\n'), statements[1].Offset);
    }

    [Fact]
    public void Semicolons_inside_quotes_comments_and_dollar_bodies_do_not_split()
    {
        const string sql = """
            -- a comment; still a comment
            /* block; /* nested; */ still block; */
            SELECT 'it''s; quoted', E'back\'slash;', "odd;name" FROM t;
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END; $body$;
            DO $$ BEGIN PERFORM 1; END $$;
            SELECT $1;
            """;

        var statements = SqlScript.Split(sql);

        Assert.Equal(4, statements.Count);
        Assert.Contains("\"odd;name\" FROM t;", statements[0].Text);
        Assert.EndsWith("END; $body$;", statements[1].Text);
        Assert.EndsWith("END $$;", statements[2].Text);
        Assert.EndsWith("SELECT $1;", statements[3].Text);
    }

    [Fact]
    public void Trailing_comments_and_blank_text_are_not_statements()
    {
        var statements = SqlScript.Split("SELECT 1;\n\n-- the end\n/* really */\n");

        Assert.Single(statements);
    }

    [Fact]
    public void A_final_statement_without_a_semicolon_is_kept()
    {
        var statements = SqlScript.Split("SELECT 1; SELECT 2");

        Assert.Equal([" SELECT 2"], statements.Skip(1).Select(s => s.Text));
    }
}
