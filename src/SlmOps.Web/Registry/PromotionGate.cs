using System.Text.Json;
using SlmOps.Data.Entities;

namespace SlmOps.Web.Registry;

/// <summary>One side of a gate decision: a version and its validation loss on the dataset version compared.</summary>
public sealed record GateSideDto(int Version, long SlmVersionId, double? ValLoss, long? ValDatasetVersionId, JsonElement EvaluationMetrics);

/// <summary>
/// Whether a version may take an alias now. <c>Gated</c> is false for every alias but production.
/// <c>ComparedOnDatasetVersionId</c> is the dataset version both losses were measured on.
/// </summary>
public sealed record GateResultDto(
    string Task, string Alias, bool Gated, bool Passes, string Reason, GateSideDto Candidate, GateSideDto? Holder,
    long? ComparedOnDatasetVersionId);

/// <summary>
/// The promotion gate: a version may take <c>production</c> only if it was evaluated on the same dataset version as the
/// current holder (the candidate's own validation dataset version preferred) with a validation loss no worse than the
/// holder's; with no holder it only needs some evaluation. Other aliases are not gated.
/// </summary>
public static class PromotionGate
{
    public const string GatedAlias = "production";

    public static GateResultDto Evaluate(string task, string alias, SlmVersion candidate, SlmVersion? holder)
    {
        var mine = SlmEvaluations.Read(candidate.EvaluationMetrics, candidate.DatasetVersionId);
        if (alias != GatedAlias)
        {
            return Result(true, false, $"Only '{GatedAlias}' is gated; '{alias}' takes any version.", null, null);
        }
        if (mine.IsEmpty)
        {
            return Result(false, true,
                $"Version {candidate.Version} has no evaluation. Run an Evaluate run for {task}@{candidate.Version} (POST /api/v1/runs/evaluate), or promote with force=true and a reason.",
                null, null);
        }
        if (holder is null)
        {
            return Result(true, true, $"'{alias}' points at no version yet; version {candidate.Version} has an evaluation.", null, null);
        }
        if (holder.Id == candidate.Id)
        {
            return Result(true, true, $"'{alias}' already points at version {candidate.Version}.", null, null);
        }

        var theirs = SlmEvaluations.Read(holder.EvaluationMetrics, holder.DatasetVersionId);
        var common = CommonDatasetVersion(mine, theirs);
        if (common is not { } dataset)
        {
            var target = theirs.ValDatasetVersionId ?? theirs.ValLossByDatasetVersion.Keys.FirstOrDefault();
            return Result(false, true,
                $"Versions {candidate.Version} and {holder.Version} (the current holder) were never evaluated on the same dataset version. " +
                $"Run an Evaluate run for {task}@{candidate.Version} on dataset version id {target} (the holder's), or promote with force=true and a reason.",
                null, theirs);
        }

        var (candidateLoss, holderLoss) = (mine.ValLossByDatasetVersion[dataset], theirs.ValLossByDatasetVersion[dataset]);
        return candidateLoss <= holderLoss
            ? Result(true, true,
                $"Version {candidate.Version} has val_loss {candidateLoss:G6} on dataset version id {dataset}, no worse than version {holder.Version}'s {holderLoss:G6}.",
                dataset, theirs)
            : Result(false, true,
                $"Version {candidate.Version} has val_loss {candidateLoss:G6} on dataset version id {dataset}, worse than version {holder.Version}'s {holderLoss:G6} (the current {alias}). " +
                "Evaluate a better version, or promote with force=true and a reason.",
                dataset, theirs);

        GateResultDto Result(bool passes, bool gated, string reason, long? comparedOn, SlmEvaluations? holderEvaluations) => new(
            task, alias, gated, passes, reason, Side(candidate, mine, comparedOn),
            holder is null ? null : Side(holder, holderEvaluations ?? SlmEvaluations.Read(holder.EvaluationMetrics, holder.DatasetVersionId), comparedOn),
            comparedOn);
    }

    // The candidate's own validation dataset first, then the holder's, then any both were evaluated on.
    private static long? CommonDatasetVersion(SlmEvaluations candidate, SlmEvaluations holder)
    {
        long?[] preferred = [candidate.ValDatasetVersionId, holder.ValDatasetVersionId];
        foreach (var id in preferred)
        {
            if (id is { } d && candidate.ValLossByDatasetVersion.ContainsKey(d) && holder.ValLossByDatasetVersion.ContainsKey(d)) return d;
        }
        return candidate.ValLossByDatasetVersion.Keys.Where(holder.ValLossByDatasetVersion.ContainsKey).Order().Cast<long?>().FirstOrDefault();
    }

    private static GateSideDto Side(SlmVersion version, SlmEvaluations evaluations, long? comparedOn)
    {
        var shown = comparedOn ?? evaluations.ValDatasetVersionId;
        double? loss = shown is { } d && evaluations.ValLossByDatasetVersion.TryGetValue(d, out var l) ? l : null;
        return new GateSideDto(version.Version, version.Id, loss, evaluations.ValDatasetVersionId, RegistryJson.Parse(version.EvaluationMetrics));
    }
}
