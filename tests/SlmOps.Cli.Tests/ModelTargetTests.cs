using SlmOps.Cli.Client;

namespace SlmOps.Cli.Tests;

public class ModelTargetTests
{
    [Theory]
    [InlineData("sentiment", "sentiment", null, null)]
    [InlineData("sentiment@staging", "sentiment", "staging", null)]
    [InlineData("sentiment@12", "sentiment", null, 12)]
    public void Task_alias_and_version_are_read_from_the_target(string text, string task, string? alias, int? version)
    {
        Assert.Equal(new ModelTarget(task, alias, version), ModelTarget.Parse(text));
    }

    [Theory]
    [InlineData("@production")]
    [InlineData("sentiment@")]
    public void A_target_without_a_task_or_selector_is_refused(string text)
    {
        Assert.Throws<ArgumentException>(() => ModelTarget.Parse(text));
    }
}
