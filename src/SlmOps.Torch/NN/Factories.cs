using SlmOps.Torch.Modules;

namespace SlmOps.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static Linear Linear(long inFeatures, long outFeatures, bool hasBias = true, Device? device = null,
            ScalarType? dtype = null) => new(inFeatures, outFeatures, hasBias, device, dtype);

        public static Embedding Embedding(long numEmbeddings, long embeddingDim, Device? device = null,
            ScalarType? dtype = null) => new(numEmbeddings, embeddingDim, device, dtype);

        public static LayerNorm LayerNorm(long normalizedShape, double eps = 1e-5, bool elementwiseAffine = true,
            Device? device = null, ScalarType? dtype = null) =>
            new([normalizedShape], eps, elementwiseAffine, device, dtype);

        public static LayerNorm LayerNorm(long[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true,
            Device? device = null, ScalarType? dtype = null) =>
            new(normalizedShape, eps, elementwiseAffine, device, dtype);

        public static Dropout Dropout(double p = 0.5) => new(p);

        public static GELU GELU() => new();

        public static ReLU ReLU() => new();

        public static Sequential Sequential(params Module<Tensor, Tensor>[] layers) => new(layers);

        public static ModuleList<T> ModuleList<T>(params T[] modules) where T : Module => new(modules);
    }
}
