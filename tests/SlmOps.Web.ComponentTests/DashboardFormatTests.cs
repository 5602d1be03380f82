using SlmOps.Contracts;
using SlmOps.Web.ComponentTests.Fakes;
using SlmOps.Web.Components.Pages.Runs;
using SlmOps.Web.Components.Shared;

namespace SlmOps.Web.ComponentTests;

/// <summary>How the dashboard writes times and numbers: a short run is not "0s", the wait for a worker is stated, chart ticks are rounded.</summary>
public sealed class DashboardFormatTests
{
    private static readonly DateTimeOffset Queued = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(400, "0.4s")]
    [InlineData(6_540, "6.5s")]
    [InlineData(42_900, "42s")]
    [InlineData(125_000, "2m 05s")]
    [InlineData(3_723_000, "1h 02m")]
    public void Durations_keep_tenths_under_ten_seconds(int milliseconds, string expected) =>
        Assert.Equal(expected, Format.Duration(Queued, Queued.AddMilliseconds(milliseconds)));

    [Fact]
    public void A_sub_second_run_after_a_wait_shows_both()
    {
        var run = RunRows.Dto(RunKind.TrainBaseModel, "tiny", "{}", queuedAt: Queued,
            startedAt: Queued.AddSeconds(6), finishedAt: Queued.AddSeconds(6.7));

        Assert.Equal("0.7s", RunTiming.Duration(run));
        Assert.Equal("after 6.0s in the queue · 6.7s from submission to end", RunTiming.Detail(run, Queued.AddMinutes(5)));
    }

    [Fact]
    public void A_queued_run_says_how_long_it_has_waited()
    {
        var run = RunRows.Dto(RunKind.TrainBaseModel, "waiting", "{}", status: RunStatus.Queued, queuedAt: Queued);

        Assert.Equal("—", RunTiming.Duration(run));
        Assert.Equal("waiting for a worker for 12s", RunTiming.Detail(run, Queued.AddSeconds(12)));
    }

    [Theory]
    [InlineData(4.6000000000000005, "4.6")]
    [InlineData(0.0005, "0.0005")]
    [InlineData(100000.0, "100000")]
    public void Chart_axis_values_are_rounded_to_six_significant_digits(double value, string expected) =>
        Assert.Equal(expected, Format.AxisValue(value));
}
