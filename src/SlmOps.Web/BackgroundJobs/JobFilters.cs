using Hangfire;
using Hangfire.Common;

namespace SlmOps.Web.BackgroundJobs;

/// <summary>
/// This host's job filters: Hangfire's global ones and attributes, plus the <see cref="JobRetryRule"/>s its features
/// registered. Each host has its own, so two hosts in one process (tests) never share settings through a static.
/// </summary>
internal sealed class JobFilters(IEnumerable<JobRetryRule> rules) : IJobFilterProvider
{
    private readonly JobFilterProviderCollection _providers = new(JobFilterProviders.Providers, new RuleProvider(rules.ToList()));

    public IEnumerable<JobFilter> GetFilters(Job job) => _providers.GetFilters(job);

    // Method scope ranks above the global AutomaticRetry, so the collection keeps this one and drops that.
    private sealed class RuleProvider(List<JobRetryRule> rules) : IJobFilterProvider
    {
        public IEnumerable<JobFilter> GetFilters(Job job) => job is null
            ? []
            : rules.Where(r => r.JobType.IsAssignableFrom(job.Type)).Select(r => new JobFilter(r.Retry, JobFilterScope.Method, null));
    }
}
