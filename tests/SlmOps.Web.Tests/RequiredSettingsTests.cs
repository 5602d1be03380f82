using Microsoft.Extensions.Configuration;
using SlmOps.Hosting;

namespace SlmOps.Web.Tests;

/// <summary>Issue 17: the development credentials are assumed in Development only; elsewhere a missing setting is named.</summary>
public sealed class RequiredSettingsTests
{
    [Fact]
    public void In_Development_the_local_stack_fills_only_what_no_other_source_sets()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RabbitMq:Host"] = "broker.internal" })
            .AddDevelopmentValues("Development", ApiHostSettings.Host)
            .Build();

        Assert.Equal("broker.internal", configuration["RabbitMq:Host"]);
        Assert.Equal("slmops", configuration["RabbitMq:Password"]);
        Assert.Equal(ApiHostSettings.Postgres.DevelopmentValue, configuration.GetConnectionString("Postgres"));
        Assert.Empty(RequiredSettings.Missing(configuration, "Development", ApiHostSettings.Host));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Elsewhere_nothing_is_assumed_and_every_absent_or_blank_setting_is_missing(string environment)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RabbitMq:Host"] = "broker.internal", ["RabbitMq:Password"] = " " })
            .AddDevelopmentValues(environment, ApiHostSettings.Host)
            .Build();

        Assert.Null(configuration["RabbitMq:Username"]);
        Assert.Equal(
            ["RabbitMq:VirtualHost", "RabbitMq:Username", "RabbitMq:Password", "ConnectionStrings:Postgres", "Artifacts:Root"],
            RequiredSettings.Missing(configuration, environment, ApiHostSettings.Host).Select(s => s.Key));
    }

    [Fact]
    public void The_refusal_names_the_setting_and_every_way_to_set_it()
    {
        var message = RequiredSettings.Explain("SlmOps.Worker", "Production", [RequiredSettings.Broker[3]]);

        Assert.Contains("SlmOps.Worker does not start: the environment is 'Production'", message);
        Assert.Contains("RabbitMq:Password (the RabbitMQ user's password)", message);
        Assert.Contains("environment variable RabbitMq__Password", message);
        Assert.Contains("--RabbitMq:Password=VALUE", message);
        Assert.Contains("ASPNETCORE_ENVIRONMENT=Development", message);
        Assert.DoesNotContain("slmops", message.Replace("deploy/stack.sh", ""), StringComparison.Ordinal); // never the dev password
    }
}
