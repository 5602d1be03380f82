using Npgsql;

namespace SlmOps.TestSupport;

/// <summary>One-statement helpers for tests that check or seed rows directly.</summary>
public static class Sql
{
    /// <summary>The first column of the first row (default for none or NULL); <paramref name="values"/> bind $1, $2, ...</summary>
    public static async Task<T?> ScalarAsync<T>(string connectionString, string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }
}
