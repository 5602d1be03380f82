using SlmOps.Contracts;
using System.Diagnostics;
using System.Text.Json;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Tests.Models;
using SlmOps.Modeling.Tokenizers;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Checkpoints;

public sealed class ModelCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("modelckpt-").FullName;
    private static readonly CharPairTokenizer Tokenizer = CharPairTokenizer.Train(Corpus.Sentences);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static LanguageModel TrainedALittle(string arch = "fft")
    {
        torch.manual_seed(5);
        var model = ModelFactory.Create(arch == "fft" ? ModelPresets.TinyFft(Tokenizer.VocabSize, 16) : ModelPresets.TinyGpt(Tokenizer.VocabSize, 16));
        using var opt = torch.optim.AdamW(model.parameters(), 0.01);
        for (var i = 0; i < 3; i++)
        {
            using var scope = torch.NewDisposeScope();
            var x = ModelTestData.Ids(2, 16, Tokenizer.VocabSize, seed: i);
            var loss = torch.nn.functional.cross_entropy(model.forward(x).reshape(-1, Tokenizer.VocabSize), x.reshape(-1));
            opt.zero_grad();
            loss.backward();
            opt.step();
            model.AfterOptimizerStep();
        }
        model.eval();
        return model;
    }

    [Fact]
    public void A_saved_model_loads_back_with_identical_outputs_and_its_tokenizer()
    {
        using var scope = torch.NewDisposeScope();
        using var model = TrainedALittle();
        var manifest = ModelCheckpoint.SaveLanguageModel(_dir, model, Tokenizer);
        Assert.Equal(["config.json", "model.safetensors", "tokenizer.json"], manifest.Files.Keys.Order(StringComparer.Ordinal));

        var (loaded, config) = ModelCheckpoint.LoadLanguageModel(_dir, manifest.Files["model.safetensors"]);
        using (loaded)
        {
            loaded.eval();
            Assert.Equal(model.Config, config.Model);
            Assert.Equal(Tokenizer.Hash, config.TokenizerHash);
            Assert.Equal(Tokenizer.Hash, ModelCheckpoint.ReadTokenizer(_dir).Hash);
            var ids = ModelTestData.Ids(2, 16, Tokenizer.VocabSize, seed: 9);
            Assert.Equal(model.forward(ids).ToArray<float>(), loaded.forward(ids).ToArray<float>());
            Assert.Equal(WeightsHash.Of(model), WeightsHash.Of(loaded));
        }
        Assert.Throws<InvalidDataException>(() => ModelCheckpoint.LoadLanguageModel(_dir, new string('0', 64)));
    }

    [Theory]
    [InlineData("fft")]
    [InlineData("gpt")]
    public void PyTorch_reads_the_weights_and_computes_the_same_logits(string arch)
    {
        using var scope = torch.NewDisposeScope();
        using var model = TrainedALittle(arch);
        ModelCheckpoint.SaveLanguageModel(_dir, model, Tokenizer);
        var ids = ModelTestData.Ids(2, 11, Tokenizer.VocabSize, seed: 13); // a window shorter than T=16
        var idsPath = Path.Combine(_dir, "ids.json");
        var outPath = Path.Combine(_dir, "out.json");
        File.WriteAllText(idsPath, JsonSerializer.Serialize(new { ids = ids.ToArray<long>(), shape = ids.shape }));

        var script = Path.Combine(AppContext.BaseDirectory, "Checkpoints", "reference_forward.py");
        var psi = new ProcessStartInfo("/usr/bin/python3", [script, _dir, idsPath, outPath]) { RedirectStandardError = true };
        using var python = Process.Start(psi)!;
        var stderr = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, $"python3 failed: {stderr}");

        using var doc = JsonDocument.Parse(File.ReadAllText(outPath));
        Assert.Equal(model.parameter_count(), doc.RootElement.GetProperty("parameters").GetInt64());
        Assert.Equal(arch, doc.RootElement.GetProperty("metadata").GetProperty("slmops.architecture").GetString());
        var theirs = doc.RootElement.GetProperty("logits").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var ours = model.forward(ids).ToArray<float>();
        Assert.Equal(ours.Length, theirs.Length);
        for (var i = 0; i < ours.Length; i++) Assert.Equal(ours[i], theirs[i], tolerance: 1e-4);
    }

    [Fact]
    public void A_follower_loads_only_against_the_llm_and_tokenizer_it_was_trained_with()
    {
        using var scope = torch.NewDisposeScope();
        using var llm = new FrozenLlm(TrainedALittle());
        var options = new CouplingOptions { Mode = CouplingMode.Hidden };
        torch.manual_seed(8);
        using var follower = new SlmFollower(new FftLanguageModel(ModelPresets.TinyFft(Tokenizer.VocabSize, 12)), options, llm.Model.Config.Width);
        ModelCheckpoint.SaveFollower(_dir, follower, Tokenizer, llm);

        using var loaded = ModelCheckpoint.LoadFollower(_dir, llm, Tokenizer.Hash);
        follower.eval();
        var ids = ModelTestData.Ids(1, 12, Tokenizer.VocabSize, seed: 2);
        Assert.Equal(follower.Logits(llm, ids).ToArray<float>(), loaded.Logits(llm, ids).ToArray<float>());
        Assert.Equal(CouplingMode.Hidden, loaded.Options.Mode);

        var ex = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.LoadFollower(_dir, llm, "another-tokenizer"));
        Assert.Contains("same tokenizer", ex.Message);
        torch.manual_seed(99);
        using var otherLlm = new FrozenLlm(new FftLanguageModel(ModelPresets.TinyFft(Tokenizer.VocabSize, 16)));
        Assert.Throws<InvalidDataException>(() => ModelCheckpoint.LoadFollower(_dir, otherLlm, Tokenizer.Hash));
    }
}
