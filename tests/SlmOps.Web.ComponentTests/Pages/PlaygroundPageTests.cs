using Microsoft.Extensions.DependencyInjection;
using SlmOps.Web.ComponentTests.Fakes;
using SlmOps.Web.Components.Pages.Playground;
using SlmOps.Web.Registry;
using SlmOps.Web.Serving;

namespace SlmOps.Web.ComponentTests.Pages;

/// <summary>The playground's error states: each problem is shown where the person can fix it, and nothing is generated for a bad form.</summary>
public sealed class PlaygroundPageTests : DashboardTestContext
{
    private readonly FakePlaygroundData _data = new();

    public PlaygroundPageTests()
    {
        Services.AddSingleton<IPlaygroundData>(_data);
    }

    [Fact]
    public void The_serving_hosts_refusal_of_an_invalid_form_shows_each_message_next_to_its_field_and_no_output()
    {
        // The serving host validates (it alone knows its limits) and lists one message per field in "errors".
        _data.Refusal = _ => new ServingProblem(400, "The request is invalid", "3 problems",
            ["prompt is empty: send text to continue.", "maxTokens must be between 1 and 100; got 0.", "topK must be 0 (no limit) or positive; got -1."]);
        var page = Render<Playground>();

        page.Find("#max_tokens").Change("0");
        page.Find("#top_k").Change("-1");
        page.Find("#playground-form").Submit();

        page.WaitForAssertion(() => Assert.Contains("prompt is empty", page.Find("#prompt-error").TextContent));
        Assert.Contains("maxTokens must be between 1 and 100", page.Find("#max_tokens-error").TextContent);
        Assert.Contains("topK must be 0", page.Find("#top_k-error").TextContent);
        Assert.Empty(page.FindAll(".rz-alert")); // every message found its field
        Assert.Equal((0, -1), (Assert.Single(_data.Requests).MaxTokens, _data.Requests[0].TopK));
        Assert.Empty(page.FindAll("[data-testid=llm-slm]"));
    }

    [Fact]
    public void A_valid_prompt_generates_for_the_production_alias_and_shows_both_outputs()
    {
        var page = Render<Playground>();

        page.Find("#prompt").Input("Hello");
        page.Find("#playground-form").Submit();

        page.WaitForAssertion(() => Assert.Contains("hello there", page.Find("[data-testid=llm-slm]").TextContent));
        var request = Assert.Single(_data.Requests);
        Assert.Equal("support", request.Task);
        Assert.Equal(PromotionGate.GatedAlias, request.Alias);
        Assert.True(request.Compare);
        Assert.Contains("hello there", page.Find("[data-testid=llm-slm]").TextContent);
        Assert.NotEmpty(page.FindAll("[data-testid=llm-alone]"));
    }

    [Fact]
    public void An_unknown_version_is_shown_next_to_the_alias_picker()
    {
        _data.Refusal = _ => new ServingProblem(404, "SLM version not found", "support has no version 3.", []);
        var page = Render<Playground>();

        page.Find("#target").Change("version:3");
        page.Find("#prompt").Input("Hello");
        page.Find("#playground-form").Submit();

        page.WaitForAssertion(() => Assert.Contains("support has no version 3.", page.Find("#target-error").TextContent));
        Assert.Equal(3, Assert.Single(_data.Requests).Version);
    }

    [Fact]
    public void A_serving_failure_is_shown_above_the_button_and_the_form_stays()
    {
        _data.Refusal = _ => new ServingProblem(503, "Model unavailable", "The LLM's weights are still loading; try again in a minute.", []);
        var page = Render<Playground>();

        page.Find("#prompt").Input("Hello");
        page.Find("#playground-form").Submit();

        page.WaitForAssertion(() => Assert.Contains("still loading", page.Find(".rz-alert").TextContent));
        Assert.Equal("Hello", page.Find("#prompt").GetAttribute("value"));
        Assert.Empty(page.FindAll("[data-testid=llm-slm]"));
    }

    [Fact]
    public void Tokens_fill_both_columns_as_they_arrive_and_the_finished_answer_adds_seed_and_timings()
    {
        _data.Generate = request => new GenerateResponse(request.Task!, 2, request.Alias, 102, 3, "llm@1", "abc", 3, 50, 100, 9, "miss",
            new LlmAloneResult("xyz", 3, 60)) { PromptTokens = 4 };
        var page = Render<Playground>();

        page.Find("#prompt").Input("Hello");
        page.Find("#playground-form").Submit();

        page.WaitForAssertion(() => Assert.Contains("Seed 9", page.Markup));
        Assert.Contains("abc", page.Find("[data-testid=llm-slm]").TextContent);
        Assert.Contains("xyz", page.Find("[data-testid=llm-alone]").TextContent);
        Assert.Contains("4 prompt tokens", page.Markup);
        Assert.Contains("SLM cache miss", page.Markup);
    }

    [Fact]
    public void Task_models_that_cannot_be_loaded_give_a_message_not_a_form()
    {
        _data.ListFailure = new InvalidOperationException("database is down");

        var page = Render<Playground>();

        Assert.Contains("Could not load task models: database is down", page.Find(".rz-alert").TextContent);
        Assert.Empty(page.FindAll("#playground-form"));
    }

    [Fact]
    public void No_task_model_yet_points_to_a_fine_tune_run()
    {
        _data.Tasks = [];

        var page = Render<Playground>();

        Assert.Contains("No task model to try yet", page.Markup);
        Assert.NotNull(page.Find("a[href='runs/new?kind=finetune']"));
    }
}
