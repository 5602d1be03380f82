using SlmOps.Torch;

namespace SlmOps.Modeling.Peft;

/// <summary>
/// Carries a module's matrices from the width they were trained in (E_s) into the width of the model they act on,
/// through projections P_1···P_k (outermost first, each E_outer × E_inner): once per forward, so the batch is only ever
/// multiplied at the model's own width (the same map as projecting every row to E_s and back).
/// </summary>
internal static class PlugProjection
{
    /// <summary>A matrix that reads E_s-wide inputs (m × E_s) as one that reads the model's: M·P_kᵀ···P_1ᵀ.</summary>
    public static Tensor Reading(Tensor rows, IReadOnlyList<Tensor> plug)
    {
        var m = rows;
        for (var i = plug.Count - 1; i >= 0; i--) m = torch.matmul(m, plug[i].transpose(0, 1));
        return m;
    }

    /// <summary>A matrix (E_s × m) or bias (E_s) that writes E_s-wide outputs as one that writes the model's: P_1···P_k·M.</summary>
    public static Tensor Writing(Tensor columns, IReadOnlyList<Tensor> plug)
    {
        var m = columns;
        for (var i = plug.Count - 1; i >= 0; i--) m = torch.matmul(plug[i], m);
        return m;
    }
}
