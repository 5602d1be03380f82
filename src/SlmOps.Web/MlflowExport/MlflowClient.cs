using System.Net;
using System.Net.Http.Json;

namespace SlmOps.Web.MlflowExport;

/// <summary>A small typed client for the parts of MLflow REST API 2.0 the exporter needs.</summary>
public sealed class MlflowClient(HttpClient http)
{
    /// <summary>log-batch accepts at most this many metrics, params and tags per request (MLflow's documented limits).</summary>
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsPerBatch = 100;
    public const int MaxTagsPerBatch = 100;
    public const int MaxEntitiesPerBatch = 1000;

    private const string Api = "api/2.0/mlflow/";

    /// <summary>The experiment's id, or null when MLflow has none by that name.</summary>
    public async Task<string?> GetExperimentIdByNameAsync(string name, CancellationToken ct)
    {
        var path = $"{Api}experiments/get-by-name?experiment_name={Uri.EscapeDataString(name)}";
        using var response = await http.GetAsync(path, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, "experiments/get-by-name", ct);
        var body = await response.Content.ReadFromJsonAsync<MlflowGetExperimentResponse>(ct);
        return body?.Experiment.ExperimentId;
    }

    public async Task<string> CreateExperimentAsync(string name, CancellationToken ct) =>
        (await PostAsync<MlflowCreateExperimentResponse>("experiments/create", new MlflowCreateExperimentRequest(name), ct)).ExperimentId;

    public async Task<string> CreateRunAsync(MlflowCreateRunRequest request, CancellationToken ct) =>
        (await PostAsync<MlflowCreateRunResponse>("runs/create", request, ct)).Run.Info.RunId;

    public Task LogBatchAsync(MlflowLogBatchRequest request, CancellationToken ct)
    {
        if (request.Metrics.Count > MaxMetricsPerBatch || request.Params.Count > MaxParamsPerBatch ||
            request.Tags.Count > MaxTagsPerBatch || request.Metrics.Count + request.Params.Count + request.Tags.Count > MaxEntitiesPerBatch)
        {
            throw new ArgumentException("A log-batch request is over MLflow's limits; split it with MlflowBatches.", nameof(request));
        }

        return PostAsync<object>("runs/log-batch", request, ct);
    }

    public Task UpdateRunAsync(MlflowUpdateRunRequest request, CancellationToken ct) => PostAsync<object>("runs/update", request, ct);

    private async Task<T> PostAsync<T>(string endpoint, object body, CancellationToken ct)
    {
        using var response = await http.PostAsync(Api + endpoint, JsonContent.Create(body, body.GetType()), ct);
        await EnsureSuccessAsync(response, endpoint, ct);
        return (await response.Content.ReadFromJsonAsync<T>(ct))!;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string endpoint, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var text = await response.Content.ReadAsStringAsync(ct);
        MlflowError? error = null;
        try { error = System.Text.Json.JsonSerializer.Deserialize<MlflowError>(text); }
        catch (System.Text.Json.JsonException) { }
        throw new MlflowApiException(endpoint, response.StatusCode, error?.ErrorCode, error?.Message ?? text);
    }
}
