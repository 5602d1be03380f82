using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Data.Entities;
using SlmOps.Web.Auth;

namespace SlmOps.Web.Tests.Auth;

/// <summary>Issues real keys through the app's own service, so tests authenticate exactly as clients do.</summary>
public static class TestKeys
{
    public const string AdminName = "test-admin";

    public static async Task<string> CreateAsync(IServiceProvider services, ApiKeyRole role, string? name = null, DateTimeOffset? expiresAt = null)
    {
        await using var scope = services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
        var (_, plaintext) = await keys.CreateAsync(name ?? $"test-{ApiRoles.Name(role)}", role, expiresAt, "tests", CancellationToken.None);
        return plaintext;
    }

    /// <summary>A key of <paramref name="role"/> acting in <paramref name="team"/> (which must exist).</summary>
    public static async Task<string> CreateInTeamAsync(IServiceProvider services, string team, ApiKeyRole role, string? name = null)
    {
        await using var scope = services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
        var (_, plaintext) = await keys.CreateAsync(name ?? $"{team}-{ApiRoles.Name(role)}", role, team, null, "tests", CancellationToken.None);
        return plaintext;
    }

    public static HttpClient WithKey(HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
