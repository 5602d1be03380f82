using System.CommandLine;
using SlmOps.Cli.Local.Experiments;
using SlmOps.Cli.Local.Reports;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using Spectre.Console;

namespace SlmOps.Cli.Local.Commands;

/// <summary>`slmops-local experiment compare`: pretrain an LLM, train every method on the task, write the report.</summary>
public static class ExperimentCompareCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var baseCorpus = new Option<string?>("--base") { Description = "Base-corpus text file (pretrains the LLM). Omit both corpora to use the built-in generator." };
        var taskCorpus = new Option<string?>("--task") { Description = "Task-corpus text file." };
        var outDir = new Option<string>("--out") { Description = "Folder for comparison.md/.csv/.svg/.json.", DefaultValueFactory = _ => "comparison" };
        var quick = new Option<bool>("--quick") { Description = "Tiny sizes that finish in seconds (tests, smoke runs)." };
        var llmPreset = new Option<string>("--llm-preset") { Description = "LLM preset (default tiny-fft).", DefaultValueFactory = _ => "tiny-fft" };
        var llmWidth = new Option<int?>("--llm-width");
        var llmLayers = new Option<int?>("--llm-layers");
        var llmBlock = new Option<int?>("--llm-block") { Description = "LLM window T." };
        var slmWidth = new Option<int?>("--slm-width");
        var slmLayers = new Option<int?>("--slm-layers");
        var slmBlock = new Option<int?>("--slm-block") { Description = "SLM window T (tokens mode needs T <= the LLM's)." };
        var pretrainSteps = new Option<int?>("--pretrain-steps");
        var steps = new Option<int?>("--steps") { Description = "Task training steps per method." };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 16 };
        var lr = new Option<double>("--lr") { DefaultValueFactory = _ => 3e-3 };
        var pretrainLr = new Option<double>("--pretrain-lr") { DefaultValueFactory = _ => 3e-3 };
        var loraRank = new Option<int>("--lora-rank") { DefaultValueFactory = _ => 8 };
        var init = new Option<SlmInitialization>("--init") { Description = "SLM initialization: Random, CopyTables, Inherit.", DefaultValueFactory = _ => SlmInitialization.CopyTables };
        var inheritK = new Option<int>("--inherit-k") { Description = "Inherit: how many LLM blocks to copy." };
        var argmax = new Option<bool>("--argmax") { Description = "Tokens mode: feed the SLM the LLM's argmax tokens instead of sampled ones." };
        var temperature = new Option<double>("--temperature") { Description = "Tokens mode: sampling temperature of the LLM.", DefaultValueFactory = _ => 1.0 };
        var evalDraws = new Option<int>("--eval-draws") { Description = "Tokens mode: evaluate -log of the mean SLM probability over K draws of the LLM's tokens.", DefaultValueFactory = _ => CouplingOptions.DefaultEvalDraws };
        var adapterBottleneck = new Option<int>("--adapter-bottleneck") { Description = "adapter: bottleneck width m.", DefaultValueFactory = _ => 8 };
        var prefixLength = new Option<int>("--prefix-length") { Description = "prefix: window positions the trainable prefix takes (must be shorter than the LLM's window).", DefaultValueFactory = _ => 4 };
        var pluginK = new Option<int>("--plugin-k") { Description = "plugin-peft: the small model is the LLM's first k blocks.", DefaultValueFactory = _ => 1 };
        var pluginR = new Option<int>("--plugin-r") { Description = "plugin-peft: the bridge keeps 1/r of each feature dimension (Fisher-pruned).", DefaultValueFactory = _ => 8 };
        var pluginModule = new Option<string>("--plugin-module") { Description = "plugin-peft: the module trained on the small model and plugged into the LLM: adapter or lora.", DefaultValueFactory = _ => PeftLimits.DefaultPluginModule };
        pluginModule.AcceptOnlyFromAmong([.. PeftLimits.PluginModules]);
        var pluginSmallPretrained = new Option<bool>("--plugin-small-pretrained") { Description = "plugin-peft: pretrain a small model of its own (the SLM's shape and tokenizer, see --slm-*) instead of taking the LLM's first k blocks." };
        var seeds = new Option<int>("--seeds") { Description = "Train every method with K seeds and report the mean and the min–max.", DefaultValueFactory = _ => 1 };
        var slmTokenizer = new Option<string?>("--slm-tokenizer") { Description = "Tokenizer artifact the SLM was built with; refused unless it equals the LLM's." };
        var methods = new Option<string[]>("--methods") { Description = "Subset of methods (default all).", AllowMultipleArgumentsPerToken = true };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var chars = new Option<int?>("--generated-chars") { Description = "Characters per built-in domain." };
        var command = new Command("compare", "Pretrain an LLM on a base corpus, train every method on a task corpus, write a Markdown/CSV/SVG report.")
        {
            baseCorpus, taskCorpus, outDir, quick, llmPreset, llmWidth, llmLayers, llmBlock, slmWidth, slmLayers, slmBlock,
            pretrainSteps, steps, batch, lr, pretrainLr, loraRank, init, inheritK, argmax, temperature, evalDraws, adapterBottleneck, prefixLength, pluginK, pluginR, pluginModule, pluginSmallPretrained, seeds,
            slmTokenizer, methods, seed, chars,
        };
        command.SetAction(r => SlmOpsLocalCli.Guarded(console, () => Compare(console, new CompareOptions
        {
            BaseCorpus = r.GetValue(baseCorpus), TaskCorpus = r.GetValue(taskCorpus), OutDir = r.GetValue(outDir)!, Quick = r.GetValue(quick),
            LlmPreset = r.GetValue(llmPreset)!, LlmWidth = r.GetValue(llmWidth), LlmLayers = r.GetValue(llmLayers), LlmBlock = r.GetValue(llmBlock),
            SlmWidth = r.GetValue(slmWidth), SlmLayers = r.GetValue(slmLayers), SlmBlock = r.GetValue(slmBlock),
            PretrainSteps = r.GetValue(pretrainSteps), Steps = r.GetValue(steps), BatchSize = r.GetValue(batch), LearningRate = r.GetValue(lr),
            PretrainLearningRate = r.GetValue(pretrainLr), LoraRank = r.GetValue(loraRank), Initialization = r.GetValue(init), InheritBlocks = r.GetValue(inheritK),
            Argmax = r.GetValue(argmax), Temperature = r.GetValue(temperature), EvalDraws = r.GetValue(evalDraws),
            AdapterBottleneck = r.GetValue(adapterBottleneck), PrefixLength = r.GetValue(prefixLength), PluginSmallLayers = r.GetValue(pluginK),
            PluginRatio = r.GetValue(pluginR), PluginModule = r.GetValue(pluginModule)!, PluginSmallPretrained = r.GetValue(pluginSmallPretrained), Seeds = r.GetValue(seeds),
            SlmTokenizer = r.GetValue(slmTokenizer), Methods = r.GetValue(methods) is { Length: > 0 } m ? m : null, Seed = r.GetValue(seed),
            GeneratedCharacters = r.GetValue(chars),
        })));
        return command;
    }

    private static int Compare(IAnsiConsole console, CompareOptions options)
    {
        ComparisonExperiment.Outcome? outcome = null;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                outcome = new ComparisonExperiment(options).Run((phase, fraction, detail) =>
                {
                    if (!tasks.TryGetValue(phase, out var task)) tasks[phase] = task = ctx.AddTask(phase, maxValue: 1.0);
                    task.Value = Math.Min(1.0, fraction);
                    task.Description = $"{phase} {detail}";
                });
            });
        var files = ReportFiles.Write(options.OutDir, outcome!.Report, outcome.Notes);
        console.WriteLine(outcome.Report.ToMarkdown());
        foreach (var note in outcome.Notes) console.WriteLine($"- {note}");
        foreach (var file in files) console.MarkupLine($"wrote [green]{Markup.Escape(file)}[/]");
        return 0;
    }
}
