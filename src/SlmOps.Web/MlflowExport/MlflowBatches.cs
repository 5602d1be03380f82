namespace SlmOps.Web.MlflowExport;

/// <summary>Splits params, metrics and tags into log-batch requests that each stay within MLflow's limits.</summary>
public static class MlflowBatches
{
    public static IEnumerable<MlflowLogBatchRequest> Split(
        string runId, IReadOnlyList<MlflowParam> parameters, IReadOnlyList<MlflowMetric> metrics, IReadOnlyList<MlflowTag> tags)
    {
        var p = 0;
        var m = 0;
        var t = 0;
        while (p < parameters.Count || m < metrics.Count || t < tags.Count)
        {
            var paramCount = Math.Min(MlflowClient.MaxParamsPerBatch, parameters.Count - p);
            var tagCount = Math.Min(MlflowClient.MaxTagsPerBatch, tags.Count - t);
            var metricCount = Math.Min(
                Math.Min(MlflowClient.MaxMetricsPerBatch, MlflowClient.MaxEntitiesPerBatch - paramCount - tagCount), metrics.Count - m);
            yield return new MlflowLogBatchRequest(
                runId,
                metrics.Skip(m).Take(metricCount).ToList(),
                parameters.Skip(p).Take(paramCount).ToList(),
                tags.Skip(t).Take(tagCount).ToList());
            p += paramCount;
            m += metricCount;
            t += tagCount;
        }
    }
}
