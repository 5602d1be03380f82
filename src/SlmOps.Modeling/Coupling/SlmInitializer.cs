using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Models;
using SlmOps.Torch;

namespace SlmOps.Modeling.Coupling;

/// <summary>
/// Starts an SLM from the LLM it will follow. Copies go through the state dicts by name; position
/// tables and time-mixing matrices are cropped to the SLM's shorter window (exact for fft's
/// lower-triangular mixing). In logits and hidden modes the SLM's output layer starts at zero, so the
/// untrained pair is exactly the LLM and training only ever has to learn a correction.
/// </summary>
public static class SlmInitializer
{
    public static void Apply(LanguageModel slm, LanguageModel llm, CouplingOptions options)
    {
        var keys = options.Initialization switch
        {
            SlmInitialization.Random => [],
            SlmInitialization.CopyTables => TableKeys(slm.Config, llm.Config),
            SlmInitialization.Inherit => InheritKeys(slm.Config, llm.Config, options.InheritBlocks),
            _ => throw new ArgumentException($"Unknown initialization {options.Initialization}."),
        };
        var source = llm.state_dict();
        var target = slm.state_dict();
        using (torch.no_grad())
        {
            foreach (var key in keys)
            {
                if (!source.TryGetValue(key, out var from) || !target.TryGetValue(key, out var to))
                    throw new InvalidOperationException($"Cannot initialize '{key}': it is missing from the LLM or the SLM.");
                using var cropped = CropTo(from, to.shape, key);
                to.copy_(cropped);
            }
            if (options.Mode is CouplingMode.Logits or CouplingMode.Hidden)
                foreach (var (name, p) in slm.state_dict())
                    if (name.StartsWith("head.", StringComparison.Ordinal)) p.zero_();
        }
    }

    private static List<string> TableKeys(ModelConfig slm, ModelConfig llm)
    {
        if (slm.Architecture != llm.Architecture)
            throw new ArgumentException($"Copying tables needs the same architecture (SLM {slm.Architecture}, LLM {llm.Architecture}).");
        if (slm.VocabSize != llm.VocabSize)
            throw new ArgumentException($"Copying tables needs the same vocabulary (SLM {slm.VocabSize}, LLM {llm.VocabSize}).");
        var tableWidth = (slm, llm) switch
        {
            (FftConfig s, FftConfig l) => (s.EmbeddingDim, l.EmbeddingDim),
            _ => (slm.Width, llm.Width),
        };
        if (tableWidth.Item1 != tableWidth.Item2)
            throw new ArgumentException($"Copying tables needs equal table widths (SLM {tableWidth.Item1}, LLM {tableWidth.Item2}).");
        if (slm.BlockSize > llm.BlockSize)
            throw new ArgumentException($"The SLM's window ({slm.BlockSize}) cannot exceed the LLM's ({llm.BlockSize}).");
        return ["tok.weight", "pos.weight"];
    }

    private static List<string> InheritKeys(ModelConfig slm, ModelConfig llm, int blocks)
    {
        var keys = TableKeys(slm, llm);
        if (slm.Width != llm.Width)
            throw new ArgumentException($"Inheriting blocks needs equal widths (SLM {slm.Width}, LLM {llm.Width}).");
        if (blocks < 0 || blocks > slm.Layers || blocks > llm.Layers)
            throw new ArgumentException($"Cannot inherit {blocks} blocks into an SLM of {slm.Layers} from an LLM of {llm.Layers}.");
        using var probe = ModelFactory.Create(slm);
        foreach (var key in probe.state_dict().Keys)
        {
            var inBlock = key.StartsWith("blocks.", StringComparison.Ordinal);
            if (inBlock && int.Parse(key.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture) < blocks) keys.Add(key);
            else if (!inBlock && !keys.Contains(key)) keys.Add(key); // embedding norm, unification, head
        }
        return keys;
    }

    private static Tensor CropTo(Tensor source, long[] shape, string key)
    {
        if (source.shape.SequenceEqual(shape)) return source.alias();
        var croppable = key == "pos.weight" || key.Contains(".mix.", StringComparison.Ordinal);
        if (!croppable || source.dim() != shape.Length || source.shape.Zip(shape).Any(p => p.Second > p.First))
            throw new ArgumentException($"'{key}' has shape [{string.Join(", ", source.shape)}] in the LLM and [{string.Join(", ", shape)}] in the SLM.");
        var result = source.alias();
        for (var d = 0; d < shape.Length; d++)
        {
            var next = result.slice(d, 0, shape[d]);
            result.Dispose();
            result = next;
        }
        return result;
    }
}
