namespace SlmOps.Web.MlflowExport;

/// <summary>Settings under <c>Mlflow</c>. The exporter is on only when <see cref="TrackingUri"/> is set.</summary>
public sealed class MlflowOptions
{
    public const string SectionName = "Mlflow";

    /// <summary>The MLflow tracking server, e.g. <c>http://mlflow:5000</c>.</summary>
    public string? TrackingUri { get; set; }

    /// <summary>Experiment for a run whose config names none (<c>"experiment": "..."</c>): this prefix plus the run kind.</summary>
    public string ExperimentPrefix { get; set; } = "slmops-";

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
