using SlmOps.Data.Migrations;

namespace SlmOps.Data.Tests.Infrastructure;

/// <summary>A temporary migrations directory, seeded with the real migrations or with test files.</summary>
public sealed class MigrationsDirectory : IDisposable
{
    public MigrationsDirectory(bool withRealMigrations = true)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"slmops-migrations-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
        if (withRealMigrations)
        {
            foreach (var file in Directory.EnumerateFiles(RealPath, "*.sql"))
            {
                File.Copy(file, System.IO.Path.Combine(Path, System.IO.Path.GetFileName(file)));
            }
        }
    }

    /// <summary>The repository's migrations as copied next to the test assembly.</summary>
    public static string RealPath => MigrationRunner.DefaultMigrationsDirectory;

    public static IReadOnlyList<string> RealFileNames =>
        Directory.EnumerateFiles(RealPath, "*.sql").Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;

    public string Path { get; }

    public void Write(string fileName, string sql) => File.WriteAllText(System.IO.Path.Combine(Path, fileName), sql);

    public void Append(string fileName, string sql) => File.AppendAllText(System.IO.Path.Combine(Path, fileName), sql);

    public void Delete(string fileName) => File.Delete(System.IO.Path.Combine(Path, fileName));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
