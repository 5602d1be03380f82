using System.Net;
using SlmOps.Web.Lineage;

namespace SlmOps.Web.Tests.Apis;

public sealed class LineageApiHost : ApiTestHost
{
    public long DatasetVersionId { get; private set; }
    public Guid PretrainRunId { get; private set; }
    public long BaseModelVersionId { get; private set; }
    public Guid TaskRunId { get; private set; }

    /// <summary>dataset_version --input--> pretrain run --output--> base_model_version --base_model--> task run.</summary>
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        const string weights = "1111111111111111111111111111111111111111111111111111111111111111";
        const string tokenizer = "2222222222222222222222222222222222222222222222222222222222222222";
        await ExecuteAsync($"""
            INSERT INTO artifacts (sha256, size_bytes, media_type, uri) VALUES
                ('{weights}', 10, 'application/octet-stream', 'w'), ('{tokenizer}', 10, 'application/json', 't')
            """);
        var datasetId = await ScalarAsync<long>("INSERT INTO datasets (name, created_by) VALUES ('corpus', 'test') RETURNING id");
        DatasetVersionId = await ScalarAsync<long>(
            $"INSERT INTO dataset_versions (dataset_id, version, sha256, size_bytes, format, created_by) VALUES ($1, 1, '{tokenizer}', 10, 'text', 'test') RETURNING id",
            datasetId);
        PretrainRunId = await ScalarAsync<Guid>("INSERT INTO runs (kind, name, created_by) VALUES ('TrainBaseModel', 'pretrain fft', 'test') RETURNING id");
        TaskRunId = await ScalarAsync<Guid>("INSERT INTO runs (kind, created_by) VALUES ('TrainTaskModel', 'test') RETURNING id");
        var baseModelId = await ScalarAsync<long>("INSERT INTO base_models (name, created_by) VALUES ('fft-small', 'test') RETURNING id");
        BaseModelVersionId = await ScalarAsync<long>($"""
            INSERT INTO base_model_versions (base_model_id, version, architecture_kind, architecture, parameter_count, weights_sha256, tokenizer_sha256, created_by)
            VALUES ($1, 1, 'fft', '{"{}"}', 100, '{weights}', '{tokenizer}', 'test') RETURNING id
            """, baseModelId);
        await Edge("dataset_version", DatasetVersionId.ToString(), "run", PretrainRunId.ToString(), "input");
        await Edge("run", PretrainRunId.ToString(), "base_model_version", BaseModelVersionId.ToString(), "output");
        await Edge("base_model_version", BaseModelVersionId.ToString(), "run", TaskRunId.ToString(), "base_model");
    }

    private Task Edge(string fromKind, string fromId, string toKind, string toId, string relation) => ExecuteAsync(
        "INSERT INTO lineage_edges (from_kind, from_id, to_kind, to_id, relation) VALUES ($1, $2, $3, $4, $5)",
        fromKind, fromId, toKind, toId, relation);
}

public sealed class LineageApiTests(LineageApiHost host) : IClassFixture<LineageApiHost>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task Graph_around_a_run_follows_edges_both_ways_with_labels()
    {
        var graph = await Get($"kind=run&id={host.PretrainRunId}&depth=1");

        Assert.Equal(("run", host.PretrainRunId.ToString(), "pretrain fft"), (graph.Root.Kind, graph.Root.Id, graph.Root.Label));
        Assert.Equal(
            new[] { "corpus v1", "fft-small v1", "pretrain fft" },
            graph.Nodes.Select(n => n.Label).Order());
        Assert.Equal(new[] { "input", "output" }, graph.Edges.Select(e => e.Relation).Order());
    }

    [Fact]
    public async Task Depth_limits_how_far_the_walk_goes()
    {
        var two = await Get($"kind=dataset_version&id={host.DatasetVersionId}");
        var three = await Get($"kind=dataset_version&id={host.DatasetVersionId}&depth=3");

        Assert.Equal(2, two.Depth);
        Assert.Equal(3, two.Nodes.Count);
        Assert.DoesNotContain(two.Nodes, n => n.Id == host.TaskRunId.ToString());
        Assert.Equal(4, three.Nodes.Count);
        var taskRun = Assert.Single(three.Nodes, n => n.Id == host.TaskRunId.ToString());
        Assert.StartsWith("TrainTaskModel run ", taskRun.Label);
        Assert.Equal(3, three.Edges.Count);
    }

    [Fact]
    public async Task A_node_without_edges_is_its_own_graph_and_an_unknown_node_is_404()
    {
        var lonely = await host.ScalarAsync<Guid>("INSERT INTO runs (kind, created_by) VALUES ('Evaluate', 'test') RETURNING id");

        var graph = await Get($"kind=run&id={lonely}");
        var missing = await _client.GetAsync($"/api/v1/lineage?kind=run&id={Guid.NewGuid()}");

        Assert.Single(graph.Nodes);
        Assert.Empty(graph.Edges);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("kind=model&id=1", "dataset_version, run, base_model_version, slm_version, artifact")]
    [InlineData("kind=run", "id is required")]
    [InlineData("kind=run&id=x&depth=0", "between 1 and 6")]
    public async Task Bad_queries_are_400_saying_what_is_allowed(string query, string detail)
    {
        var response = await _client.GetAsync($"/api/v1/lineage?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(detail, (await ApiTestHost.ReadAsync<Problem>(response)).Detail);
    }

    private async Task<LineageGraphDto> Get(string query)
    {
        var response = await _client.GetAsync($"/api/v1/lineage?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await ApiTestHost.ReadAsync<LineageGraphDto>(response);
    }
}
