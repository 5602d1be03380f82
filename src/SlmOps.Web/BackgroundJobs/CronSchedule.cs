namespace SlmOps.Web.BackgroundJobs;

/// <summary>Turns an interval setting into the cron expression of a recurring job (seconds field included).</summary>
public static class CronSchedule
{
    /// <summary>
    /// "Every <paramref name="interval"/>", for intervals that divide their unit evenly: 1–30 s (a divisor of 60),
    /// 1–30 min, 1–12 h (a divisor of 24), or one day.
    /// </summary>
    public static string Every(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero || interval.Ticks % TimeSpan.TicksPerSecond != 0)
            throw Unsupported(interval);
        var seconds = (long)interval.TotalSeconds;
        return seconds switch
        {
            < 60 when 60 % seconds == 0 => $"*/{seconds} * * * * *",
            < 3600 when seconds % 60 == 0 && 60 % (seconds / 60) == 0 => $"0 */{seconds / 60} * * * *",
            < 86400 when seconds % 3600 == 0 && 24 % (seconds / 3600) == 0 => $"0 0 */{seconds / 3600} * * *",
            86400 => "0 0 0 * * *",
            _ => throw Unsupported(interval),
        };
    }

    private static ArgumentException Unsupported(TimeSpan interval) => new(
        $"The interval {interval} cannot be a recurring schedule; use whole seconds dividing a minute (e.g. 00:00:15), " +
        "whole minutes dividing an hour (00:05:00), whole hours dividing a day (06:00:00) or 1.00:00:00.", nameof(interval));
}
