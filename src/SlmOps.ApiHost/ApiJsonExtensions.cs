using System.Text.Json.Serialization;
using SlmOps.ApiHost.Problems;

namespace SlmOps.ApiHost;

/// <summary>How the REST API writes and reads JSON.</summary>
public static class ApiJsonExtensions
{
    /// <summary>
    /// Enums travel as their names ("Running", "TrainTaskModel"), which scripts and people can read; numbers are still
    /// accepted on input.
    /// Every string and free-form JSON value of a request body is checked for characters that cannot be stored (NUL,
    /// control and bidirectional characters), so a body never reaches PostgreSQL with one.
    /// </summary>
    public static IServiceCollection AddApiJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            options.SerializerOptions.Converters.Add(new SafeStringConverter());
            options.SerializerOptions.Converters.Add(new SafeJsonElementConverter());
        });
}
