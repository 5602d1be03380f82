// Serving benchmark (deploy/bench.sh serving): paper-size LLM (fft, 36.3M parameters) and SLMs (9.8M), random init
// saved as checkpoints, measured in process through the web host's serving objects and the model API. Sections
// (--sections, default all): swap (SwapSection: cold and prefetched swaps vs a full fine-tuned LLM copy, each peer
// doing exactly what its serving needs), decode (DecodeSection: cached decoding of the LLM alone vs PyTorch eager and
// the bandwidth bound), batch (BatchSection: 8 requests over 4 SLM versions batched vs one at a time), throughput
// (LLM+SLM vs LLM alone tokens/s through SlmServer), prefix (PrefixSection: a prefix version vs the LLM alone through
// SlmServer). Medians of --reps, warm-up excluded.
using SlmOps.Benchmarks.Serving;
using SlmOps.Torch;
using static SlmOps.Benchmarks.Serving.Stats;

var options = BenchOptions.Parse(args);
var loadAtStart = LoadAverage();
torch.set_num_threads(options.Threads);
Console.Error.WriteLine($"serving: device=cpu threads={torch.get_num_threads()} reps={options.Reps} tokens={options.Tokens} sections={string.Join(",", options.Sections)} work={options.WorkDir}");

try
{
    using var bench = await Bench.Create(options);
    var threads = bench.Threads;
    var swap = new SwapSection(bench);
    if (options.Runs("swap")) Print(await swap.Run());
    var llmAlone = double.NaN;
    if (options.Runs("decode")) Print(DecodeSection.Run(bench, out llmAlone));
    if (options.Runs("batch")) Print(BatchSection.Run(bench));
    if (options.Runs("prefix")) Print(await PrefixSection.Run(bench));
    if (options.Runs("throughput"))
    {
        var composed = new List<double>();
        var alone = new List<double>();
        await bench.Serve(0, options.Tokens, compare: true); // warm-up at full length
        for (var r = 0; r < options.Reps; r++)
        {
            var answer = await bench.Serve(0, options.Tokens, compare: true);
            composed.Add(answer.TokensPerSecond);
            alone.Add(answer.LlmAlone!.TokensPerSecond);
        }
        double both = Median(composed), llmOnly = Median(alone);
        Console.WriteLine($"serving-throughput: device=cpu threads={threads} tokens={options.Tokens} composed_tok_s={both:F1} llm_alone_tok_s={llmOnly:F1} ratio={both / llmOnly:F2} vs llm-alone through SlmServer (target >= 0.8)");
        if (options.Runs("swap"))
        {
            Console.WriteLine($"serving: device=cpu threads={threads} cold_swap_ms={swap.ColdSwapMs:F1} slm_load_ms={swap.SlmLoadMs:F1} prefetched_swap_ms={swap.PrefetchedSwapMs:F1} " +
                $"full_copy_ms={swap.FullCopyMs:F1} prefetched_full_copy_ms={swap.PrefetchedFullCopyMs:F1} cold_speedup={swap.FullCopyMs / swap.ColdSwapMs:F1} " +
                $"composed_tok_s={both:F1} llm_alone_tok_s={llmOnly:F1} ratio={both / llmOnly:F2} vs llm-alone");
        }
    }
    // Other work on the machine inflates every wall-clock figure above (on 2 shared cores, a parallel region waits for
    // its second thread to be scheduled): print how busy the machine was.
    Console.WriteLine($"serving-machine: cores={Environment.ProcessorCount} loadavg_1min_start={loadAtStart} loadavg_1min_end={LoadAverage()}");
    return 0;
}
finally
{
    if (!options.Keep && Directory.Exists(options.WorkDir)) Directory.Delete(options.WorkDir, recursive: true);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

static void Print(IEnumerable<string> lines)
{
    foreach (var line in lines) Console.WriteLine(line);
}
