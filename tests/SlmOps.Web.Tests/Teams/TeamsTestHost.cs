using Microsoft.EntityFrameworkCore;
using SlmOps.Contracts;
using SlmOps.Data.Entities;
using SlmOps.Web.Tests.Auth;
using SlmOps.Web.Tests.Registry;

namespace SlmOps.Web.Tests.Teams;

/// <summary>
/// The registry host plus three teams, alpha, beta and gamma (gamma owns nothing: a team to share with), and in alpha
/// and beta each: a dataset "{team}-data" (version 1), a task model "{team}-task" with two evaluated SLM versions and
/// "production" on version 1, and a queued run "{team}-run". Everything the base host seeded is in 'default'.
/// </summary>
public sealed class TeamsTestHost : RegistryTestHost
{
    public const string Alpha = "alpha";
    public const string Beta = "beta";
    public const string Gamma = "gamma";

    private readonly Dictionary<string, Guid> _runs = [];
    private readonly Dictionary<(string, ApiKeyRole), HttpClient> _clients = [];

    public static string DatasetName(string team) => $"{team}-data";
    public static string TaskName(string team) => $"{team}-task";
    public Guid Run(string team) => _runs[team];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var team in new[] { Alpha, Beta, Gamma })
            await ExecuteAsync("INSERT INTO teams (name, created_by) VALUES ($1, 'tests')", team);
        foreach (var team in new[] { Alpha, Beta }) await SeedTeamAsync(team);
    }

    /// <summary>A client whose key is of <paramref name="role"/> in <paramref name="team"/> (one per pair, reused).</summary>
    public async Task<HttpClient> ClientAsync(string team, ApiKeyRole role)
    {
        if (_clients.TryGetValue((team, role), out var client)) return client;
        var key = await TestKeys.CreateInTeamAsync(Services, team, role, $"{team}-{role}".ToLowerInvariant());
        return _clients[(team, role)] = TestKeys.WithKey(CreateAnonymousClient(), key);
    }

    private async Task SeedTeamAsync(string team)
    {
        await using var db = CreateDbContext();
        var dataset = new Dataset { Name = DatasetName(team), CreatedBy = $"{team}-editor", Team = team };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync();
        var version = new DatasetVersion { DatasetId = dataset.Id, Version = 1, Sha256 = Tokenizer, SizeBytes = 10, Format = DatasetFormat.Text, CreatedBy = $"{team}-editor" };
        db.DatasetVersions.Add(version);
        var task = new TaskModel { Name = TaskName(team), CreatedBy = $"{team}-editor", Team = team };
        db.TaskModels.Add(task);
        await db.SaveChangesAsync();
        var versions = new[] { 1.20, 1.10 }.Select((loss, i) => new SlmVersion
        {
            TaskModelId = task.Id, Version = i + 1, BaseModelVersionId = BaseModelVersionId, CouplingMode = CouplingMode.Tokens,
            Architecture = """{"layers": 1}""", ParameterCount = 1000, DatasetVersionId = version.Id,
            EvaluationMetrics = Evaluated(version.Id, loss), WeightsSha256 = Weights, CreatedBy = $"{team}-editor",
        }).ToList();
        db.SlmVersions.AddRange(versions);
        await db.SaveChangesAsync();
        db.Aliases.Add(new Alias { TaskModelId = task.Id, Name = "production", SlmVersionId = versions[0].Id, UpdatedBy = $"{team}-promoter" });
        var run = new Run { Kind = RunKind.Evaluate, Name = $"{team}-run", CreatedBy = $"{team}-editor", Team = team, Config = "{}" };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        _runs[team] = run.Id;
    }
}
