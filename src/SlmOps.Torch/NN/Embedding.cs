namespace SlmOps.Torch.Modules;

/// <summary>A lookup table [num_embeddings, embedding_dim], initialised N(0, 1) as in PyTorch.</summary>
public sealed class Embedding : torch.nn.Module<Tensor, Tensor>
{
    public Embedding(long numEmbeddings, long embeddingDim, Device? device = null, ScalarType? dtype = null)
        : base(nameof(Embedding))
    {
        num_embeddings = numEmbeddings;
        embedding_dim = embeddingDim;
        register_parameter("weight", torch.nn.Parameter(Init.StandardNormal([numEmbeddings, embeddingDim], dtype, device)));
    }

    public long num_embeddings { get; }

    public long embedding_dim { get; }

    public Tensor weight => get_parameter("weight")!;

    public override Tensor forward(Tensor input) => torch.nn.functional.embedding(input, weight);
}
