namespace SlmOps.Data.Entities;

/// <summary>Layout of an uploaded dataset file (dataset_versions.format: text, jsonl, csv).</summary>
public enum DatasetFormat
{
    Text,
    Jsonl,
    Csv,
}
