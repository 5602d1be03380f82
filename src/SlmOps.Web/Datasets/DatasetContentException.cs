namespace SlmOps.Web.Datasets;

/// <summary>The uploaded bytes cannot be a text dataset (empty or binary); the message says why.</summary>
public sealed class DatasetContentException(string message) : Exception(message);
