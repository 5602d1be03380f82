using Microsoft.EntityFrameworkCore;
using SlmOps.Data;
using SlmOps.Data.Entities;
using SlmOps.Web.Teams;

namespace SlmOps.Web.Registry;

/// <summary>
/// Reads base models (LLMs) and their versions, which every team reads (they belong to the platform team); unknown
/// names raise <see cref="RegistryNotFoundException"/>.
/// </summary>
public sealed class BaseModelQueries(SlmOpsDbContext db, TeamAccess access)
{
    public async Task<IReadOnlyList<BaseModelDto>> ListAsync(CancellationToken ct)
    {
        var models = await db.BaseModels.AsNoTracking().Include(m => m.Versions).OrderBy(m => m.Name).ToListAsync(ct);
        var platform = await access.PlatformTeamAsync(ct);
        return models.Select(m => new BaseModelDto(m.Name, platform, m.Description, m.CreatedBy, m.CreatedAt, m.Versions.Count,
            m.Versions.MaxBy(v => v.Version) is { } latest ? BaseModelVersionDto.From(m.Name, latest) : null)).ToList();
    }

    public async Task<BaseModelDetailDto> GetAsync(string name, CancellationToken ct)
    {
        var model = await FindAsync(name, ct);
        return new BaseModelDetailDto(model.Name, await access.PlatformTeamAsync(ct), model.Description, model.CreatedBy, model.CreatedAt,
            model.Versions.OrderByDescending(v => v.Version).Select(v => BaseModelVersionDto.From(name, v)).ToList());
    }

    public async Task<BaseModelVersionDto> GetVersionAsync(string name, int version, CancellationToken ct)
    {
        var model = await FindAsync(name, ct);
        return model.Versions.SingleOrDefault(v => v.Version == version) is { } found
            ? BaseModelVersionDto.From(name, found)
            : throw new RegistryNotFoundException("Base model version not found",
                $"Base model '{name}' has no version {version}; {Known(model)}. GET /api/v1/base-models/{name}/versions lists them.");
    }

    private async Task<BaseModel> FindAsync(string name, CancellationToken ct) =>
        await db.BaseModels.AsNoTracking().Include(m => m.Versions).SingleOrDefaultAsync(m => m.Name == name, ct)
        ?? throw new RegistryNotFoundException("Base model not found",
            $"No base model is named '{name}'. GET /api/v1/base-models lists them; a TrainBaseModel run registers new ones.");

    private static string Known(BaseModel model) => model.Versions.Count == 0
        ? "it has no versions yet"
        : $"its versions are {string.Join(", ", model.Versions.Select(v => v.Version).Order())}";
}
