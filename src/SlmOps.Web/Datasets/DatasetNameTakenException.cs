namespace SlmOps.Web.Datasets;

/// <summary>
/// An upload named a dataset that another team owns and has not shared with the caller's team. The answer (409) says
/// only that the name is taken: which team owns it, and what is in it, stay hidden.
/// </summary>
public sealed class DatasetNameTakenException(string name)
    : Exception($"The dataset name '{name}' is taken by another team; choose another name. Nothing was stored.");
