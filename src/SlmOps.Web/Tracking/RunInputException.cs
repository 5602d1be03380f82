namespace SlmOps.Web.Tracking;

/// <summary>A run whose inputs do not resolve (missing, unprepared, another tokenizer): it fails with this message.</summary>
public sealed class RunInputException(string message) : Exception(message);
