using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SlmOps.Web.Tests.Mlflow;

/// <summary>
/// A stand-in MLflow tracking server on 127.0.0.1 (Kestrel) for the five REST 2.0 endpoints the exporter uses. Each
/// request is checked against the documented API (method, path, JSON field names and types, log-batch limits);
/// a request that breaks it is answered 400 INVALID_PARAMETER_VALUE, as MLflow does, and recorded in
/// <see cref="Violations"/>. Otherwise it answers like MLflow and keeps what was logged.
/// </summary>
internal sealed class FakeMlflowServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _nextExperiment;

    private FakeMlflowServer(WebApplication app) => _app = app;

    public ConcurrentQueue<string> Violations { get; } = new();
    public ConcurrentQueue<string> Requests { get; } = new();
    public ConcurrentDictionary<string, string> Experiments { get; } = new();
    public ConcurrentDictionary<string, FakeRun> Runs { get; } = new();
    public int BatchCount;
    public string Uri { get; private set; } = "";

    /// <summary>When set, every request (or only those to <see cref="FailOnly"/>) is answered with this status and an MLflow error body.</summary>
    public int? FailWith { get; set; }

    /// <summary>With <see cref="FailWith"/>: the one endpoint that fails, e.g. "runs/log-batch"; null fails them all.</summary>
    public string? FailOnly { get; set; }

    public static async Task<FakeMlflowServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeMlflowServer(app);
        server.Map(app);
        await app.StartAsync();
        server.Uri = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            Requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
            if (FailWith is { } status && (FailOnly is null || context.Request.Path.Value!.EndsWith(FailOnly, StringComparison.Ordinal)))
            {
                await Error(context, status, "INTERNAL_ERROR", "the fake was told to fail");
                return;
            }

            await next(context);
        });
        const string api = "/api/2.0/mlflow";
        app.MapGet($"{api}/experiments/get-by-name", GetExperimentByName);
        app.MapPost($"{api}/experiments/create", context => WithBody(context, CreateExperiment));
        app.MapPost($"{api}/runs/create", context => WithBody(context, CreateRun));
        app.MapPost($"{api}/runs/log-batch", context => WithBody(context, LogBatch));
        app.MapPost($"{api}/runs/update", context => WithBody(context, UpdateRun));
        app.MapFallback(context => Reject(context, $"no such endpoint: {context.Request.Method} {context.Request.Path}", 404));
    }

    private Task GetExperimentByName(HttpContext context)
    {
        if (context.Request.Query["experiment_name"] is not [{ Length: > 0 } name])
            return Reject(context, "experiments/get-by-name needs exactly one experiment_name query parameter");
        return Experiments.TryGetValue(name, out var id)
            ? context.Response.WriteAsJsonAsync(new { experiment = new { experiment_id = id, name, lifecycle_stage = "active" } })
            : Error(context, 404, "RESOURCE_DOES_NOT_EXIST", $"Could not find experiment with name '{name}'");
    }

    private Task CreateExperiment(HttpContext context, JsonObject body)
    {
        if (Problem(body, ("name", JsonValueKind.String, true), ("artifact_location", JsonValueKind.String, false), ("tags", JsonValueKind.Array, false)) is { } problem)
            return Reject(context, $"experiments/create: {problem}");
        var name = body["name"]!.GetValue<string>();
        var id = Interlocked.Increment(ref _nextExperiment).ToString();
        if (!Experiments.TryAdd(name, id)) return Error(context, 400, "RESOURCE_ALREADY_EXISTS", $"Experiment '{name}' already exists.");
        return context.Response.WriteAsJsonAsync(new { experiment_id = id });
    }

    private Task CreateRun(HttpContext context, JsonObject body)
    {
        if ((Problem(body, ("experiment_id", JsonValueKind.String, true), ("user_id", JsonValueKind.String, false),
                ("run_name", JsonValueKind.String, false), ("start_time", JsonValueKind.Number, false), ("tags", JsonValueKind.Array, false))
            ?? IntegerProblem(body, "start_time") ?? KeyValueProblems(body["tags"], "tags")) is { } problem)
            return Reject(context, $"runs/create: {problem}");
        var experimentId = body["experiment_id"]!.GetValue<string>();
        if (!Experiments.Values.Contains(experimentId)) return Error(context, 404, "RESOURCE_DOES_NOT_EXIST", $"No experiment {experimentId}");
        var run = new FakeRun(Guid.NewGuid().ToString("N"), experimentId, body["run_name"]?.GetValue<string>(), body["start_time"]?.GetValue<long>());
        foreach (var tag in body["tags"]?.AsArray() ?? []) run.Tags[tag!["key"]!.GetValue<string>()] = tag["value"]!.GetValue<string>();
        Runs[run.RunId] = run;
        return context.Response.WriteAsJsonAsync(new
        {
            run = new { info = new { run_id = run.RunId, run_uuid = run.RunId, experiment_id = experimentId, status = "RUNNING", lifecycle_stage = "active" }, data = new { } },
        });
    }

    private Task LogBatch(HttpContext context, JsonObject body)
    {
        if ((Problem(body, ("run_id", JsonValueKind.String, true), ("metrics", JsonValueKind.Array, false),
                ("params", JsonValueKind.Array, false), ("tags", JsonValueKind.Array, false))
            ?? KeyValueProblems(body["params"], "params") ?? KeyValueProblems(body["tags"], "tags") ?? MetricProblems(body["metrics"])) is { } problem)
            return Reject(context, $"runs/log-batch: {problem}");
        var metrics = body["metrics"]?.AsArray() ?? [];
        var parameters = body["params"]?.AsArray() ?? [];
        var tags = body["tags"]?.AsArray() ?? [];
        if (metrics.Count > 1000 || parameters.Count > 100 || tags.Count > 100 || metrics.Count + parameters.Count + tags.Count > 1000)
            return Reject(context, $"runs/log-batch over the limits: {metrics.Count} metrics, {parameters.Count} params, {tags.Count} tags");
        if (!Runs.TryGetValue(body["run_id"]!.GetValue<string>(), out var run)) return Error(context, 404, "RESOURCE_DOES_NOT_EXIST", "No such run");
        foreach (var p in parameters)
        {
            var (key, value) = (p!["key"]!.GetValue<string>(), p["value"]!.GetValue<string>());
            if (run.Params.TryGetValue(key, out var old) && old != value)
                return Reject(context, $"param {key} changed from {old} to {value}; MLflow params are immutable");
            run.Params[key] = value;
        }

        foreach (var m in metrics)
            run.Metrics.Add((m!["key"]!.GetValue<string>(), m["value"]!.GetValue<double>(), m["timestamp"]!.GetValue<long>(), m["step"]?.GetValue<long>() ?? 0));
        foreach (var t in tags) run.Tags[t!["key"]!.GetValue<string>()] = t["value"]!.GetValue<string>();
        Interlocked.Increment(ref BatchCount);
        return context.Response.WriteAsJsonAsync(new { });
    }

    private Task UpdateRun(HttpContext context, JsonObject body)
    {
        if ((Problem(body, ("run_id", JsonValueKind.String, true), ("run_uuid", JsonValueKind.String, false), ("status", JsonValueKind.String, false),
                ("end_time", JsonValueKind.Number, false), ("run_name", JsonValueKind.String, false)) ?? IntegerProblem(body, "end_time")) is { } problem)
            return Reject(context, $"runs/update: {problem}");
        var status = body["status"]?.GetValue<string>();
        if (status is not (null or "RUNNING" or "SCHEDULED" or "FINISHED" or "FAILED" or "KILLED"))
            return Reject(context, $"runs/update: status {status} is not an MLflow RunStatus");
        if (!Runs.TryGetValue(body["run_id"]!.GetValue<string>(), out var run)) return Error(context, 404, "RESOURCE_DOES_NOT_EXIST", "No such run");
        run.Status = status ?? run.Status;
        run.EndTime = body["end_time"]?.GetValue<long>();
        return context.Response.WriteAsJsonAsync(new { run_info = new { run_id = run.RunId, status = run.Status, end_time = run.EndTime } });
    }

    private async Task WithBody(HttpContext context, Func<HttpContext, JsonObject, Task> handle)
    {
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            await Reject(context, $"{context.Request.Path}: Content-Type must be application/json, was {context.Request.ContentType}");
            return;
        }

        JsonObject? body;
        try { body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject; }
        catch (JsonException error) { body = null; Violations.Enqueue($"malformed JSON: {error.Message}"); }
        if (body is null) { await Reject(context, $"{context.Request.Path}: body is not a JSON object"); return; }
        await handle(context, body);
    }

    /// <summary>Unknown fields, missing required ones, and fields of the wrong JSON type (null counts as absent).</summary>
    private static string? Problem(JsonObject body, params (string Name, JsonValueKind Kind, bool Required)[] fields)
    {
        foreach (var (name, node) in body)
        {
            var field = fields.FirstOrDefault(f => f.Name == name);
            if (field.Name is null) return $"unknown field '{name}'";
            if (node is not null && node.GetValueKind() != field.Kind) return $"field '{name}' is {node.GetValueKind()}, not {field.Kind}";
        }

        return fields.FirstOrDefault(f => f.Required && body[f.Name] is null).Name is { } missing ? $"missing field '{missing}'" : null;
    }

    private static string? IntegerProblem(JsonObject body, string name) =>
        body[name] is JsonValue value && !value.TryGetValue<long>(out _) ? $"field '{name}' must be an int64" : null;

    private static string? KeyValueProblems(JsonNode? array, string what)
    {
        foreach (var item in array?.AsArray() ?? [])
        {
            if (item is not JsonObject entry) return $"{what} holds a non-object";
            if (Problem(entry, ("key", JsonValueKind.String, true), ("value", JsonValueKind.String, true)) is { } problem) return $"{what}: {problem}";
        }

        return null;
    }

    private static string? MetricProblems(JsonNode? array)
    {
        foreach (var item in array?.AsArray() ?? [])
        {
            if (item is not JsonObject metric) return "metrics holds a non-object";
            if ((Problem(metric, ("key", JsonValueKind.String, true), ("value", JsonValueKind.Number, true),
                    ("timestamp", JsonValueKind.Number, true), ("step", JsonValueKind.Number, false)) ?? IntegerProblem(metric, "timestamp")
                    ?? IntegerProblem(metric, "step")) is { } problem)
                return $"metrics: {problem}";
        }

        return null;
    }

    private Task Reject(HttpContext context, string violation, int status = 400)
    {
        Violations.Enqueue(violation);
        return Error(context, status, status == 404 ? "ENDPOINT_NOT_FOUND" : "INVALID_PARAMETER_VALUE", violation);
    }

    private static Task Error(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error_code = code, message });
    }
}

internal sealed class FakeRun(string runId, string experimentId, string? runName, long? startTime)
{
    public string RunId { get; } = runId;
    public string ExperimentId { get; } = experimentId;
    public string? RunName { get; } = runName;
    public long? StartTime { get; } = startTime;
    public string Status { get; set; } = "RUNNING";
    public long? EndTime { get; set; }
    public ConcurrentDictionary<string, string> Params { get; } = new();
    public ConcurrentDictionary<string, string> Tags { get; } = new();
    public ConcurrentBag<(string Key, double Value, long Timestamp, long Step)> Metrics { get; } = [];
}
