using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using SlmOps.Contracts;
using SlmOps.Web.ComponentTests.Fakes;
using SlmOps.Web.Components.Pages.NewRun;
using SlmOps.Web.Runs;
using SlmOps.Web.Sweeps;

namespace SlmOps.Web.ComponentTests.Pages;

/// <summary>The new-run page: the validator's messages land next to their fields, and "Clone and edit" starts from the run.</summary>
public sealed class NewRunPageTests : DashboardTestContext
{
    private readonly FakeNewRunData _data = new();

    public NewRunPageTests() : base(role: "Editor") => Services.AddSingleton<INewRunData>(_data);

    [Fact]
    public void Validation_messages_sit_next_to_their_fields_and_what_was_typed_stays()
    {
        _data.Answer = _ => new RunSubmissionResult(null, new Dictionary<string, string[]>
        {
            ["baseModelName"] = ["Use lowercase letters, digits and dashes."],
            ["spec.unknownField"] = ["Not a pretrain setting."],
        }, "The TrainBaseModel spec has 2 invalid field(s).");
        var page = Render<NewRun>();

        page.Find("#name").Change("first try");
        page.Find("#training\\.steps").Change("24");
        page.Find("#new-run-form").Submit();

        Assert.Contains("lowercase letters", page.Find("#baseModelName-error").TextContent);
        var summary = page.Find(".rz-alert").TextContent;
        Assert.Contains("Fix the fields marked above", summary);
        Assert.Contains("spec.unknownField: Not a pretrain setting.", summary); // no field shows it, so the summary does
        Assert.DoesNotContain("baseModelName:", summary);
        Assert.Equal("first try", page.Find("#name").GetAttribute("value"));
        Assert.Equal("24", page.Find("#training\\.steps").GetAttribute("value"));
        var sent = Assert.Single(_data.Submissions);
        Assert.Equal(RunKind.TrainBaseModel, sent.Kind);
        Assert.Equal(24, sent.Request.Spec.GetProperty("training").GetProperty("steps").GetInt32());
        Assert.DoesNotContain("/runs/", Services.GetRequiredService<NavigationManager>().Uri); // no run was opened
    }

    [Fact]
    public void A_valid_submission_opens_the_new_run()
    {
        var page = Render<NewRun>();

        page.Find("#new-run-form").Submit();

        var sent = Assert.Single(_data.Submissions);
        Assert.Equal("tester", sent.Actor);
        Assert.Matches("/runs/[0-9a-f-]{36}$", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void Clone_and_edit_fills_the_form_from_the_run_and_submits_as_its_clone()
    {
        var source = RunRows.Dto(RunKind.TrainTaskModel, "support-lora",
            """{"baseModelVersionId": 3, "datasetVersionId": 5, "taskModelName": "support", "method": "lora", "loraRank": 16, "training": {"steps": 50}}""",
            priority: 7);
        _data.Stored[source.Id] = source;
        NavigateTo($"runs/new?from={source.Id}");

        var page = Render<NewRun>();

        Assert.Equal("support-lora-copy", page.Find("#name").GetAttribute("value"));
        Assert.Equal("7", page.Find("#priority").GetAttribute("value"));
        Assert.Equal("support", page.Find("#taskModelName").GetAttribute("value"));
        Assert.Equal("lora", page.Find("#method").GetAttribute("value"));
        Assert.Equal("16", page.Find("#loraRank").GetAttribute("value"));
        Assert.Equal("50", page.Find("#training\\.steps").GetAttribute("value"));
        Assert.Contains("Submit fine-tune", page.Find("button[type=submit]").TextContent);

        page.Find("#taskModelName").Change("support-v2");
        page.Find("#new-run-form").Submit();

        var sent = Assert.Single(_data.Submissions);
        Assert.Equal(source.Id, sent.ClonedFrom);
        Assert.Equal(RunKind.TrainTaskModel, sent.Kind);
        Assert.Equal("support-v2", sent.Request.Spec.GetProperty("taskModelName").GetString());
        Assert.Equal(16, sent.Request.Spec.GetProperty("loraRank").GetInt32());
        Assert.Equal(3, sent.Request.Spec.GetProperty("baseModelVersionId").GetInt64());
    }

    [Fact]
    public void A_plugin_lora_run_on_a_registry_small_model_clones_with_its_module_and_small_model()
    {
        var source = RunRows.Dto(RunKind.TrainTaskModel, "support-plugin-lora",
            """{"baseModelVersionId": 3, "datasetVersionId": 5, "taskModelName": "support", "method": "plugin-peft", "pluginModule": "lora", "loraRank": 4, "pluginSmallBaseModelVersionId": 9, "training": {"steps": 50}}""");
        _data.Stored[source.Id] = source;
        _data.Answer = _ => new RunSubmissionResult(null, new Dictionary<string, string[]>
        {
            ["pluginSmallBaseModelVersionId"] = ["The small model's tokenizer (sha256 bbb) differs from the LLM's (sha256 aaa)."],
        }, "The TrainTaskModel spec has 1 invalid field(s).");
        NavigateTo($"runs/new?from={source.Id}");

        var page = Render<NewRun>();

        Assert.Equal("lora", page.Find("#pluginModule").GetAttribute("value"));
        Assert.Equal("4", page.Find("#loraRank").GetAttribute("value"));
        Assert.Empty(page.FindAll("#adapterBottleneck")); // plug-in LoRA has a rank, not a bottleneck
        Assert.Equal("9", page.Find("#pluginSmallBaseModelVersionId").GetAttribute("value"));
        page.Find("#new-run-form").Submit();

        Assert.Contains("sha256 bbb", page.Find("#pluginSmallBaseModelVersionId-error").TextContent);
        var sent = Assert.Single(_data.Submissions);
        Assert.Equal("lora", sent.Request.Spec.GetProperty("pluginModule").GetString());
        Assert.Equal(9, sent.Request.Spec.GetProperty("pluginSmallBaseModelVersionId").GetInt64());
    }

    [Fact]
    public void A_plugin_peft_run_clones_with_its_settings_and_their_errors_sit_next_to_them()
    {
        var source = RunRows.Dto(RunKind.TrainTaskModel, "support-plugin",
            """{"baseModelVersionId": 3, "datasetVersionId": 5, "taskModelName": "support", "method": "plugin-peft", "adapterBottleneck": 6, "pluginRatio": 4, "pluginSmallLayers": 2, "training": {"steps": 50}}""");
        _data.Stored[source.Id] = source;
        _data.Answer = _ => new RunSubmissionResult(null, new Dictionary<string, string[]>
        {
            ["pluginRatio"] = ["A reduction factor r=4 leaves the bridge's residual width 3/4 = 0; use r <= 3."],
        }, "The TrainTaskModel spec has 1 invalid field(s).");
        NavigateTo($"runs/new?from={source.Id}");

        var page = Render<NewRun>();

        Assert.Equal("plugin-peft", page.Find("#method").GetAttribute("value"));
        Assert.Equal("6", page.Find("#adapterBottleneck").GetAttribute("value"));
        Assert.Equal("4", page.Find("#pluginRatio").GetAttribute("value"));
        Assert.Equal("2", page.Find("#pluginSmallLayers").GetAttribute("value"));
        Assert.Empty(page.FindAll("#prefixLength")); // only prefix runs show the prefix length
        page.Find("#new-run-form").Submit();

        Assert.Contains("residual width 3/4 = 0", page.Find("#pluginRatio-error").TextContent);
        var sent = Assert.Single(_data.Submissions);
        Assert.Equal(4, sent.Request.Spec.GetProperty("pluginRatio").GetInt32());
        Assert.Equal(2, sent.Request.Spec.GetProperty("pluginSmallLayers").GetInt32());
        Assert.Equal(6, sent.Request.Spec.GetProperty("adapterBottleneck").GetInt32());
    }

    [Fact]
    public void Cloning_an_unknown_run_says_so_and_leaves_an_empty_form()
    {
        var missing = Guid.NewGuid();
        NavigateTo($"runs/new?from={missing}");

        var page = Render<NewRun>();

        Assert.Contains($"No run has id {missing}", page.Find(".rz-alert").TextContent);
        Assert.Equal("", page.Find("#name").GetAttribute("value") ?? "");
    }

    [Fact]
    public void A_viewer_gets_no_form()
    {
        using var viewer = new ViewerTestContext();
        viewer.Services.AddSingleton<INewRunData>(new FakeNewRunData());

        var page = viewer.Render<NewRun>();

        Assert.Empty(page.FindAll("#new-run-form"));
        Assert.Contains("needs the editor role", page.Markup);
    }

    [Fact]
    public void A_sweep_is_the_form_s_run_as_base_spec_with_the_space_around_it_and_its_errors_land_next_to_their_fields()
    {
        NavigateTo("runs/new?kind=finetune");
        _data.SweepAnswer = _ => new SweepSubmissionResult(null, new Dictionary<string, string[]>
        {
            ["space.training.learningRate"] = ["min (0.1) is greater than max (0.01); swap them."],
            ["spec.training.steps"] = ["Must be at least 1."],
            ["budget"] = ["A random search (a space with a range) needs a budget."],
        }, "The sweep spec has 3 invalid field(s).");
        var page = Render<NewRun>();

        page.Find("#asSweep").Change(true);
        page.Find(".slm-sweep-mode").Change("log-uniform");
        page.Find(".slm-sweep-min").Change("0.1");
        page.Find(".slm-sweep-max").Change("0.01");
        page.Find("#parallelism").Change("3");
        Assert.Contains("Submit fine-tune sweep", page.Find("button[type=submit]").TextContent);
        page.Find("#new-run-form").Submit();

        var sent = Assert.Single(_data.SweepSubmissions);
        Assert.Empty(_data.Submissions);
        var spec = sent.Spec;
        Assert.Equal("finetune", spec.GetProperty("trialKind").GetString());
        Assert.Equal(3, spec.GetProperty("parallelism").GetInt32());
        var range = spec.GetProperty("space").GetProperty("training.learningRate");
        Assert.Equal(("log-uniform", 0.1, 0.01), (range.GetProperty("distribution").GetString(), range.GetProperty("min").GetDouble(), range.GetProperty("max").GetDouble()));
        Assert.True(spec.GetProperty("spec").TryGetProperty("taskModelName", out _)); // the run form is the base spec
        Assert.Contains("greater than max", page.Find("[data-field='space.training.learningRate.field'] .slm-field-error").TextContent);
        Assert.Contains("at least 1", page.Find("#training\\.steps-error").TextContent);
        Assert.Contains("needs a budget", page.Find("#budget-error").TextContent);
    }

    [Fact]
    public void The_all_methods_preset_makes_a_sweep_over_every_training_method()
    {
        NavigateTo("runs/new?kind=finetune");
        var page = Render<NewRun>();

        page.Find("#asSweep").Change(true);
        page.Find(".slm-all-methods").Click();
        page.Find("#new-run-form").Submit();

        var sent = Assert.Single(_data.SweepSubmissions);
        Assert.Equal("all-methods", sent.Spec.GetProperty("preset").GetString());
    }
}
