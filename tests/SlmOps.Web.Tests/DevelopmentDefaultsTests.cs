using Microsoft.Extensions.Configuration;
using SlmOps.Hosting;

namespace SlmOps.Web.Tests;

public sealed class DevelopmentDefaultsTests
{
    [Fact]
    public void Defaults_apply_only_where_no_other_source_sets_a_value()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RabbitMq:Host"] = "broker.internal" })
            .AddSlmOpsDevelopmentDefaults()
            .Build();

        Assert.Equal("broker.internal", configuration["RabbitMq:Host"]);
        // Shared with the worker, which has no database: the web host's PostgreSQL fallback lives in SlmOps.Data.
        Assert.Null(configuration.GetConnectionString("Postgres"));
        Assert.Equal("5672", configuration["RabbitMq:Port"]);
    }
}
