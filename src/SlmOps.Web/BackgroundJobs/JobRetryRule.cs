using Hangfire;

namespace SlmOps.Web.BackgroundJobs;

/// <summary>
/// How Hangfire retries the jobs of one class, when its attempts and delays come from settings (an attribute could
/// only hold constants). It replaces the global AutomaticRetry for that class.
/// </summary>
public sealed record JobRetryRule(Type JobType, AutomaticRetryAttribute Retry);
