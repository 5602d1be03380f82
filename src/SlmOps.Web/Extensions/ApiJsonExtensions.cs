using System.Text.Json.Serialization;

namespace SlmOps.Web.Extensions;

/// <summary>How the REST API writes and reads JSON.</summary>
public static class ApiJsonExtensions
{
    /// <summary>
    /// Enums travel as their names ("Running", "TrainTaskModel"), which scripts and people can read; numbers are still
    /// accepted on input.
    /// </summary>
    public static IServiceCollection AddApiJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
}
