using SlmOps.Web.BackgroundJobs;

namespace SlmOps.Web.Tests.BackgroundJobs;

public sealed class CronScheduleTests
{
    [Theory]
    [InlineData("00:00:01", "*/1 * * * * *")]
    [InlineData("00:00:30", "*/30 * * * * *")]
    [InlineData("00:05:00", "0 */5 * * * *")]
    [InlineData("01:00:00", "0 0 */1 * * *")]
    [InlineData("06:00:00", "0 0 */6 * * *")]
    [InlineData("1.00:00:00", "0 0 0 * * *")]
    public void An_interval_that_divides_its_unit_becomes_a_cron_expression(string interval, string cron) =>
        Assert.Equal(cron, CronSchedule.Every(TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:00.5")]
    [InlineData("00:00:07")]
    [InlineData("00:07:00")]
    [InlineData("05:00:00")]
    [InlineData("2.00:00:00")]
    public void Any_other_interval_is_refused_with_the_ones_that_work(string interval) =>
        Assert.Contains("whole seconds dividing a minute",
            Assert.Throws<ArgumentException>(() => CronSchedule.Every(TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture))).Message);
}
