using Hangfire.Common;

namespace SlmOps.Web.BackgroundJobs;

/// <summary>A recurring job one feature declares (<see cref="BackgroundJobsServiceExtensions.AddRecurringJob{TJob}"/>); every server registers it under the same id.</summary>
public sealed record RecurringJobDefinition(string Id, Job Job, string Cron);
