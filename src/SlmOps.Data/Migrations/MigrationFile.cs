using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SlmOps.Data.Migrations;

/// <summary>One ordered SQL file from the migrations directory, e.g. <c>0001_initial.sql</c>.</summary>
public sealed partial record MigrationFile(int Version, string FileName, string Sql, string Checksum)
{
    [GeneratedRegex(@"^(?<version>\d{4,9})_[a-z0-9_]+\.sql$")]
    private static partial Regex NamePattern();

    /// <summary>
    /// Reads every *.sql file in <paramref name="directory"/>, ordered by version. A file whose name does not
    /// follow NNNN_snake_case.sql, or two files sharing a version number, stop the runner: their order would be
    /// a guess.
    /// </summary>
    public static IReadOnlyList<MigrationFile> LoadAll(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new MigrationException($"The migrations directory '{directory}' does not exist.");
        }

        var files = new List<MigrationFile>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.sql"))
        {
            var name = Path.GetFileName(path);
            var match = NamePattern().Match(name);
            if (!match.Success)
            {
                throw new MigrationException(
                    $"Migration file '{name}' in '{directory}' is not named like 0001_lower_snake_case.sql; rename it.", name);
            }

            var version = int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture);
            files.Add(FromText(version, name, File.ReadAllText(path, Encoding.UTF8)));
        }

        files.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < files.Count; i++)
        {
            if (files[i].Version == files[i - 1].Version)
            {
                throw new MigrationException(
                    $"Migration files '{files[i - 1].FileName}' and '{files[i].FileName}' share version {files[i].Version}; renumber one.",
                    files[i].FileName);
            }
        }

        return files;
    }

    public static MigrationFile FromText(int version, string fileName, string sql) =>
        new(version, fileName, sql, ComputeChecksum(sql));

    /// <summary>
    /// SHA-256 of the text with line endings normalised to LF, so a checkout that converts line endings does not
    /// look like an edit, while any change to the SQL itself does.
    /// </summary>
    public static string ComputeChecksum(string sql)
    {
        var normalised = sql.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }
}
