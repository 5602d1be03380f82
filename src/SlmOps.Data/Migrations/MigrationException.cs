namespace SlmOps.Data.Migrations;

/// <summary>
/// The migration runner refused to start or a migration failed. <see cref="FileName"/> names the file at fault
/// when there is one; the message says what to do about it.
/// </summary>
public sealed class MigrationException : Exception
{
    public MigrationException(string message, string? fileName = null, Exception? innerException = null)
        : base(message, innerException)
    {
        FileName = fileName;
    }

    /// <summary>The migration file the problem concerns, e.g. <c>0002_add_tags.sql</c>; null for general failures.</summary>
    public string? FileName { get; }
}
