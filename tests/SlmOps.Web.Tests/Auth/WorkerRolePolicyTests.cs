using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;

namespace SlmOps.Web.Tests.Auth;

/// <summary>The worker role against every registered policy, evaluated by the app's own authorization service.</summary>
public sealed class WorkerRolePolicyTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddSlmOpsAuth().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_worker_key_never_passes_the_viewer_editor_promoter_or_admin_policies()
    {
        foreach (var role in ApiRoles.Ladder)
        {
            Assert.False(await PassesAsync(ApiKeyRole.Worker, ApiRoles.PolicyName(role)), $"worker passed {ApiRoles.PolicyName(role)}");
        }
    }

    [Fact]
    public async Task The_worker_policy_admits_worker_and_admin_keys_only()
    {
        Assert.Equal(ApiRoles.WorkerPolicy, ApiRoles.PolicyName(ApiKeyRole.Worker));
        var admitted = new List<ApiKeyRole>();
        foreach (var role in ApiRoles.All)
        {
            if (await PassesAsync(role, ApiRoles.WorkerPolicy)) admitted.Add(role);
        }
        Assert.Equal([ApiKeyRole.Admin, ApiKeyRole.Worker], admitted);
    }

    [Theory]
    [InlineData(ApiKeyRole.Viewer, new[] { ApiKeyRole.Viewer, ApiKeyRole.Editor, ApiKeyRole.Promoter, ApiKeyRole.Admin, ApiKeyRole.Worker })]
    [InlineData(ApiKeyRole.Editor, new[] { ApiKeyRole.Editor, ApiKeyRole.Promoter, ApiKeyRole.Admin, ApiKeyRole.Worker })]
    public async Task An_or_worker_policy_admits_its_role_and_higher_and_workers(ApiKeyRole minimum, ApiKeyRole[] expected)
    {
        var admitted = new List<ApiKeyRole>();
        foreach (var role in ApiRoles.All)
        {
            if (await PassesAsync(role, ApiRoles.OrWorkerPolicyName(minimum))) admitted.Add(role);
        }
        Assert.Equal(expected, admitted);
    }

    [Fact]
    public void The_ladder_keeps_its_order_and_numbers_and_worker_ranks_below_it()
    {
        Assert.Equal([0, 1, 2, 3], ApiRoles.Ladder.Select(r => (int)r));
        Assert.All(ApiRoles.Ladder, role => Assert.True(ApiKeyRole.Worker < role));
        Assert.Equal("viewer, editor, promoter, admin, worker", ApiRoles.Allowed);
        Assert.Throws<ArgumentException>(() => new MinimumRoleRequirement(ApiKeyRole.Worker));
    }

    private async Task<bool> PassesAsync(ApiKeyRole role, string policy)
    {
        var user = ApiKeyPrincipal.Create(
            new ApiKey { Name = $"policy-{ApiRoles.Name(role)}", Prefix = "abcdefgh", KeyHash = "", Role = role, CreatedBy = "tests" }, AuthSchemes.ApiKey);
        var result = await _services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, resource: null, policy);
        return result.Succeeded;
    }
}
