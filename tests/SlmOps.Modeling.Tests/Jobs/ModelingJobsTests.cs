using SlmOps.Contracts;
using System.Text.Json;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;
using SlmOps.Modeling.Jobs;
using SlmOps.Modeling.Peft;
using SlmOps.Contracts.Runs;
using SlmOps.Modeling.Training;
using SlmOps.Modeling.Data;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Jobs;

public sealed class ModelingJobsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("jobs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Prepare_pretrain_follow_and_serve_end_to_end()
    {
        var baseDocs = Corpus.Repeated(20).ToList();
        var baseData = DatasetPreparation.Prepare(baseDocs, P("base-data"), new DatasetPreparationSpec());
        var taskDocs = Enumerable.Range(0, 40).Select(i => $"the model registry promotes version {i % 3} to production.").ToList();
        var taskData = DatasetPreparation.Prepare(taskDocs, P("task-data"), new DatasetPreparationSpec(), existingTokenizerPath: baseData.TokenizerPath);
        Assert.Equal(baseData.TokenizerHash, taskData.TokenizerHash);

        var training = new TrainingOptions { Steps = 30, BatchSize = 8, LearningRate = 1e-2, MinLearningRate = 1e-3, WarmupSteps = 3, EvalEvery = 10, EvalBatches = 2 };
        var baseJob = new BaseModelJob
        {
            Model = ModelPresets.TinyFft(baseData.VocabSize, 24),
            Training = training,
            TokenizerPath = baseData.TokenizerPath,
            TrainTokensPath = baseData.TrainPath,
            ValTokensPath = baseData.ValPath,
        };
        // The job spec is the run's config JSON: it must survive a round trip.
        var json = JsonSerializer.Serialize(baseJob, ModelingJson.Options);
        baseJob = JsonSerializer.Deserialize<BaseModelJob>(json, ModelingJson.Options)!;

        var pretrained = ModelingJobs.TrainBaseModel(baseJob, P("base-work"), P("base-model"));
        Assert.Equal(30, pretrained.Training.StepsCompleted);
        Assert.True(pretrained.Training.Losses[^1] < pretrained.Training.Losses[0]);
        Assert.Equal(3, pretrained.Training.ValLosses.Count);
        var registeredSha = pretrained.OutputFiles[ModelCheckpoint.WeightsFile];

        var taskJob = new TaskModelJob
        {
            BaseModelDir = P("base-model"),
            BaseModelWeightsFileSha256 = registeredSha,
            Slm = ModelPresets.TinyFft(baseData.VocabSize, 16) with { Width = 24, Layers = 1 },
            Coupling = new CouplingOptions { Mode = CouplingMode.Tokens, Initialization = SlmInitialization.CopyTables },
            Training = training with { Steps = 20 },
            TrainTokensPath = taskData.TrainPath,
            ValTokensPath = taskData.ValPath,
        };
        var followed = ModelingJobs.TrainTaskModel(taskJob, P("task-work"), P("task-slm"));
        Assert.Equal(20, followed.Training.StepsCompleted);
        Assert.Equal(registeredSha, Sha256Manifest.HashFile(Path.Combine(P("base-model"), ModelCheckpoint.WeightsFile)));

        using var session = new ServingSession(P("base-model"), registeredSha);
        var text = session.Generate("the model", P("task-slm"), new GenerationOptions { MaxNewTokens = 10 });
        Assert.InRange(text.Length, 10, 20); // 10 tokens of one or two characters
        Assert.InRange(session.Generate("the model", null, new GenerationOptions { MaxNewTokens = 5 }).Length, 5, 10);

        var wrongSha = new string('a', 64);
        Assert.Throws<InvalidDataException>(() => ModelingJobs.TrainTaskModel(taskJob with { BaseModelWeightsFileSha256 = wrongSha }, P("w2"), P("o2")));
    }

    [Theory]
    [InlineData(TrainingMethod.Adapter)]
    [InlineData(TrainingMethod.Prefix)]
    [InlineData(TrainingMethod.PluginPeft)]
    public void A_peft_task_model_holds_only_its_modules_and_leaves_the_base_model_as_registered(TrainingMethod method)
    {
        var data = DatasetPreparation.Prepare(Corpus.Repeated(20).ToList(), P("data"), new DatasetPreparationSpec());
        var training = new TrainingOptions { Steps = 12, BatchSize = 4, LearningRate = 1e-2, WarmupSteps = 2 };
        var pretrained = ModelingJobs.TrainBaseModel(new BaseModelJob
        {
            Model = ModelPresets.TinyFft(data.VocabSize, 24), Training = training, TokenizerPath = data.TokenizerPath, TrainTokensPath = data.TrainPath,
        }, P("base-work"), P("base-model"));
        var registeredSha = pretrained.OutputFiles[ModelCheckpoint.WeightsFile];
        var job = new TaskModelJob
        {
            Method = method, BaseModelDir = P("base-model"), BaseModelWeightsFileSha256 = registeredSha, Training = training,
            AdapterBottleneck = 4, PrefixLength = 3, Plugin = new PluginPeftOptions { SmallLayers = 1, Ratio = 4, FisherBatches = 1 },
            TrainTokensPath = data.TrainPath, ValTokensPath = data.ValPath,
        };

        var outcome = ModelingJobs.TrainTaskModel(job, P("task-work"), P("task"));

        // plug-in PEFT trains two stages of 12 steps on one step axis and scores the plugged-in LLM at the last one.
        var steps = method == TrainingMethod.PluginPeft ? 24 : 12;
        Assert.Equal(steps, outcome.Training.StepsCompleted);
        if (method == TrainingMethod.PluginPeft) Assert.Equal(steps, outcome.Training.ValLosses[^1].Step);
        // Only the modules, plus the tokenizer every registered model folder carries.
        Assert.Equal([PeftFiles.ConfigFile, PeftFiles.WeightsFile, ModelCheckpoint.TokenizerFile], outcome.OutputFiles.Keys.Order());
        Assert.True(outcome.Training.TrainableParameters < ModelPresets.TinyFft(data.VocabSize, 24).ParameterCount() / 4);
        Assert.Equal(registeredSha, Sha256Manifest.HashFile(Path.Combine(P("base-model"), ModelCheckpoint.WeightsFile)));
    }

    [Fact]
    public void Plugin_lora_on_a_registry_small_model_reports_the_loss_its_plugged_llm_scores_and_refuses_another_tokenizer()
    {
        var data = DatasetPreparation.Prepare(Corpus.Repeated(20).ToList(), P("data"), new DatasetPreparationSpec());
        var training = new TrainingOptions { Steps = 12, BatchSize = 4, LearningRate = 1e-2, WarmupSteps = 2, EvalBatches = 2 };
        string Pretrain(string name, ModelConfig model, PreparedDataset prepared) => ModelingJobs.TrainBaseModel(new BaseModelJob
        {
            Model = model, Training = training, TokenizerPath = prepared.TokenizerPath, TrainTokensPath = prepared.TrainPath,
        }, P(name + "-work"), P(name)).OutputFiles[ModelCheckpoint.WeightsFile];
        var llmSha = Pretrain("base-model", ModelPresets.TinyFft(data.VocabSize, 24), data);
        // The registry's small model: its own widths and depth, the LLM's tokenizer.
        var smallSha = Pretrain("small-model", ModelPresets.TinyFft(data.VocabSize, 24) with { Width = 16, EmbeddingDim = 24, Layers = 1 }, data);
        var job = new TaskModelJob
        {
            Method = TrainingMethod.PluginPeft, BaseModelDir = P("base-model"), BaseModelWeightsFileSha256 = llmSha, Training = training, LoraRank = 2,
            Plugin = new PluginPeftOptions { Module = "lora", Ratio = 4, FisherBatches = 1 },
            PluginSmallModelDir = P("small-model"), PluginSmallModelWeightsFileSha256 = smallSha,
            TrainTokensPath = data.TrainPath, ValTokensPath = data.ValPath,
        };

        var outcome = ModelingJobs.TrainTaskModel(job, P("task-work"), P("task"));

        Assert.Equal([PeftFiles.ConfigFile, PeftFiles.WeightsFile, ModelCheckpoint.TokenizerFile], outcome.OutputFiles.Keys.Order());
        Assert.Equal(llmSha, Sha256Manifest.HashFile(Path.Combine(P("base-model"), ModelCheckpoint.WeightsFile)));
        var (model, config) = ModelCheckpoint.LoadLanguageModel(P("base-model"), llmSha);
        using var llm = new FrozenLlm(model);
        using var modules = AttachedModules.Load("plugin-peft", P("task"), llm.Model);
        var scored = Evaluator.MeanLoss(PeftObjective.Attached(llm, (PluginModules)modules), TokenFile.Read(data.ValPath, config.TokenizerHash),
            training.BatchSize, llm.BlockSize, training.EvalBatches, Device.CPU);
        Assert.Equal(outcome.Training.ValLosses[^1].Loss, scored, 5);
        Assert.Equal(16, ((PluginModules)modules).Config.SmallWidth);

        // A registry model with another tokenizer fails the run before any step, naming both tokenizers.
        var other = DatasetPreparation.Prepare(Enumerable.Repeat("zebras quietly juggle xylophones; vexed wizards fix bumpy quilts.", 60).ToList(),
            P("other-data"), new DatasetPreparationSpec());
        Assert.NotEqual(data.TokenizerHash, other.TokenizerHash);
        var otherSha = Pretrain("other-model", ModelPresets.TinyFft(other.VocabSize, 24) with { Layers = 1 }, other);
        var refused = Assert.Throws<ArgumentException>(() => ModelingJobs.TrainTaskModel(
            job with { PluginSmallModelDir = P("other-model"), PluginSmallModelWeightsFileSha256 = otherSha }, P("refused-work"), P("refused")));
        Assert.Contains($"sha256 {other.TokenizerHash}", refused.Message);
        Assert.Contains($"sha256 {data.TokenizerHash}", refused.Message);
        Assert.False(Directory.Exists(P("refused-work")) && Directory.EnumerateFiles(P("refused-work"), "*", SearchOption.AllDirectories).Any());
    }
}
