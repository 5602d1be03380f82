namespace SlmOps.Data.Metrics;

/// <summary>One metric value; (RunId, Key, Step) is its identity.</summary>
public readonly record struct MetricPoint(Guid RunId, string Key, long Step, double Value, DateTimeOffset RecordedAt);
