using System.Text.RegularExpressions;

namespace SlmOps.Web.Datasets;

/// <summary>Dataset names follow the database's slug rule, because they appear in URLs and references.</summary>
public static partial class DatasetNames
{
    public const string Rule = "^[a-z0-9][a-z0-9-]{0,62}$";

    public static string? Problem(string? name) => name switch
    {
        null or "" => "Give the dataset a name in the form field 'name'.",
        _ when !Slug().IsMatch(name) =>
            $"'{name}' is not a valid dataset name: use 1 to 63 lowercase letters, digits and hyphens, starting with a letter or digit (rule {Rule}).",
        _ => null,
    };

    [GeneratedRegex(Rule)]
    private static partial Regex Slug();
}
