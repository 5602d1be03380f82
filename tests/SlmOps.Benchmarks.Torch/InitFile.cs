using System.Globalization;
using SlmOps.Torch;

namespace SlmOps.Benchmarks.Torch;

/// <summary>Initial weights and batches travel to the Python side in one file: same init, same data by construction.</summary>
public static class InitFile
{
    public static void Write(string path, Gpt model, Tensor data, BenchOptions o)
    {
        var inv = CultureInfo.InvariantCulture;
        var config = model.Config;
        var payload = model.state_dict().ToList();
        payload.Add(new("data", data));
        torch.save_safetensors(payload, path, new Dictionary<string, string>
        {
            ["vocab"] = config.Vocab.ToString(inv), ["ctx"] = config.Context.ToString(inv), ["d"] = config.Dim.ToString(inv),
            ["layers"] = config.Layers.ToString(inv), ["heads"] = config.Heads.ToString(inv),
            ["lr"] = o.Lr.ToString("R", inv), ["weight_decay"] = o.WeightDecay.ToString("R", inv),
        });
    }
}
