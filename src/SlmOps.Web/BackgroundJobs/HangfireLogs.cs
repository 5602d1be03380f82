using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace SlmOps.Web.BackgroundJobs;

/// <summary>
/// Hangfire's log provider is process-wide while each host has its own logger factory. When a host that set it has
/// been disposed (tests start and stop several), a logger asked for afterwards is a silent one instead of an
/// ObjectDisposedException thrown inside a job's state change.
/// </summary>
internal sealed class HangfireLogs(ILoggerFactory factory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(factory);

    public ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
