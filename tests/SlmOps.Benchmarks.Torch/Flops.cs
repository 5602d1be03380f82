namespace SlmOps.Benchmarks.Torch;

/// <summary>Model FLOPs per trained token, in the PaLM / nanoGPT accounting.</summary>
public static class Flops
{
    public const string Formula = "flops/token = 6*N_matmul + 12*L*T*d (N_matmul: parameters outside the embedding tables; " +
        "attention scores and weighted sum, forward+backward)";

    public static double PerToken(long matmulParameters, GptConfig c) =>
        (6.0 * matmulParameters) + (12.0 * c.Layers * c.Context * c.Dim);

    /// <summary>Model FLOPs utilisation: achieved model FLOP/s over the device's peak.</summary>
    public static double Mfu(double tokensPerSecond, double flopsPerToken, double peakTflops) =>
        tokensPerSecond * flopsPerToken / (peakTflops * 1e12);
}
