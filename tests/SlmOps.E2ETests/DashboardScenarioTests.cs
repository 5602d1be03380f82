using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SlmOps.E2ETests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SlmOps.E2ETests;

/// <summary>
/// One user journey through the dashboard in a real browser against the running system: sign in, upload, prepare,
/// pretrain and fine-tune (tiny presets) to Succeeded with charts, compare, promote, generate, and a viewer who cannot
/// promote. Each step saves a screenshot under TestResults/screenshots.
/// </summary>
public sealed class DashboardScenarioTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    private static readonly LocatorAssertionsToBeVisibleOptions Training = new() { Timeout = (float)DashboardHost.Deadline.TotalMilliseconds };

    [Fact]
    public async Task A_team_trains_promotes_and_tries_an_slm_from_the_dashboard()
    {
        var page = await host.SignedInPageAsync(host.AdminKey);
        await Expect(page.Locator(".slm-user-name")).ToHaveTextAsync("e2e-admin");
        await DashboardHost.ScreenshotAsync(page, "01-overview");

        await UploadAsync(page, "e2e-corpus");
        var prepare = await SubmitAsync(page, "Prepare dataset", async () =>
            await page.Locator("#datasetVersionId").SelectOptionAsync(new SelectOptionValue { Label = "e2e-corpus v1 (id 1)" }));
        await ExpectSucceededAsync(page, prepare, "04-prepare-run");

        await page.GotoInteractiveAsync("runs/new", "#new-run-form");
        await ChooseKindAsync(page, "Pretrain");
        await page.GetByRole(AriaRole.Button, new() { Name = "tiny preset" }).ClickAsync();
        await page.Locator("#datasetVersionId").SelectOptionAsync(new SelectOptionValue { Label = "e2e-corpus v1 (id 1)" });
        await page.Locator("#training\\.steps").FillAsync("24");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit pretrain" }).ClickAsync();
        // The base model name was left empty: the validator's message sits next to it and the typed steps stay.
        await Expect(page.Locator("#baseModelName-error")).ToContainTextAsync("lowercase letters");
        await Expect(page.Locator("#training\\.steps")).ToHaveValueAsync("24");
        await DashboardHost.ScreenshotAsync(page, "05-new-run-validation");
        await page.Locator("#baseModelName").FillAsync("e2e-llm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit pretrain" }).ClickAsync();
        var pretrain = await RunIdAsync(page);
        await ExpectSucceededAsync(page, pretrain, "06-pretrain-run");

        await FineTuneFormAsync(page, "e2e-task");
        await page.Locator("#coupling").SelectOptionAsync("tokens");
        await DashboardHost.ScreenshotAsync(page, "07-new-run-finetune");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit fine-tune" }).ClickAsync();
        var finetune = await RunIdAsync(page);
        await ExpectSucceededAsync(page, finetune, "08-finetune-run");

        await page.GotoAsync($"compare?runs={pretrain},{finetune}");
        await Expect(page.Locator(".slm-chart-card").First).ToBeVisibleAsync();
        await Expect(page.Locator(".slm-chart-card path").First).ToBeAttachedAsync(); // the overlaid curves are drawn
        await DashboardHost.ScreenshotAsync(page, "09-compare");

        await SweepAsync(page);

        await PromoteAsync(page);
        await GenerateAsync(page);
        await ViewerCannotPromoteAsync();
    }

    [Fact]
    public async Task An_admin_reaches_the_Hangfire_dashboard_through_the_navigation_and_a_viewer_has_no_link()
    {
        var admin = await host.SignedInPageAsync(host.AdminKey);
        await admin.Locator("nav.slm-nav").GetByRole(AriaRole.Link, new() { Name = "Jobs" }).ClickAsync();

        await Expect(admin).ToHaveURLAsync(new Regex("/hangfire/?$"));
        await Expect(admin.GetByText("SlmOps background jobs").First).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "Recurring Jobs" }).First.ClickAsync();
        await Expect(admin.GetByText("sweep-runs").First).ToBeVisibleAsync();
        await Expect(admin.GetByText("drain-webhook-outbox").First).ToBeVisibleAsync();
        await DashboardHost.ScreenshotAsync(admin, "20-hangfire-recurring-jobs");

        var viewer = await host.SignedInPageAsync(host.ViewerKey);
        await Expect(viewer.Locator("nav.slm-nav").GetByRole(AriaRole.Link, new() { Name = "Jobs" })).ToHaveCountAsync(0);
    }

    private static async Task UploadAsync(IPage page, string name)
    {
        await page.GotoInteractiveAsync("datasets", "button.slm-upload-submit");
        await page.Locator("#ds-name").FillAsync(name);
        await page.Locator("#ds-file").SetInputFilesAsync(new FilePayload { Name = "corpus.txt", MimeType = "text/plain", Buffer = Corpus() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Expect(page.GetByText(name).First).ToBeVisibleAsync();
        await DashboardHost.ScreenshotAsync(page, "02-datasets");
    }

    private static async Task<Guid> SubmitAsync(IPage page, string kind, Func<Task> fill)
    {
        await page.GotoInteractiveAsync("runs/new", "#new-run-form");
        await ChooseKindAsync(page, kind);
        await fill();
        await DashboardHost.ScreenshotAsync(page, "03-new-run-prepare");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit " + kind.ToLowerInvariant() }).ClickAsync();
        return await RunIdAsync(page);
    }

    private static async Task ChooseKindAsync(IPage page, string kind)
    {
        await page.Locator(".rz-selectbar").GetByText(kind, new() { Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Submit " + kind.ToLowerInvariant() })).ToBeVisibleAsync();
    }

    /// <summary>After a submit the page moves to the new run's detail page.</summary>
    private static async Task<Guid> RunIdAsync(IPage page)
    {
        await page.WaitForURLAsync(new Regex("/runs/[0-9a-f-]{36}$"));
        return Guid.Parse(page.Url[^36..]);
    }

    private async Task ExpectSucceededAsync(IPage page, Guid run, string screenshot)
    {
        try
        {
            await Expect(page.Locator(".rz-badge", new() { HasText = "Succeeded" }).First).ToBeVisibleAsync(Training);
        }
        catch (PlaywrightException)
        {
            await DashboardHost.ScreenshotAsync(page, screenshot + "-failed");
            Assert.Fail($"Run {run} did not show Succeeded within {DashboardHost.Deadline}.\n{host.WorkerOutput}");
        }
        if (!screenshot.Contains("prepare", StringComparison.Ordinal))
        {
            // Training runs chart their loss; the page reloads on live events, so the points appear without a refresh.
            await Expect(page.Locator(".slm-chart-card").First).ToBeVisibleAsync();
            await Expect(page.Locator(".slm-chart-card path").First).ToBeAttachedAsync();
        }
        await DashboardHost.ScreenshotAsync(page, screenshot);
    }

    /// <summary>The new-run page's fine-tune form from the tiny preset, on the first base model and the corpus.</summary>
    private static async Task FineTuneFormAsync(IPage page, string task)
    {
        await page.GotoInteractiveAsync("runs/new?kind=finetune", "#new-run-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "tiny preset" }).ClickAsync();
        await page.Locator("#baseModelVersionId").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await page.Locator("#datasetVersionId").SelectOptionAsync(new SelectOptionValue { Label = "e2e-corpus v1 (id 1)" });
        await page.Locator("#taskModelName").FillAsync(task);
    }

    /// <summary>
    /// The fine-tune form as the base of a two-trial sweep over the learning rate: an empty space first (its message next
    /// to it), then the sweep page with both trials ranked, the parameter chart and the best trial's SLM version, and the
    /// trials in Runs.
    /// </summary>
    private async Task SweepAsync(IPage page)
    {
        await FineTuneFormAsync(page, "e2e-sweep");
        await page.Locator("#name").FillAsync("e2e-lr-sweep");
        await page.Locator("#asSweep").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit fine-tune sweep" }).ClickAsync();
        await Expect(page.Locator("[data-field='space.training.learningRate.field'] .slm-field-error")).ToContainTextAsync("values is empty");
        await page.Locator(".slm-sweep-values").FillAsync("0.001, 0.003");
        await DashboardHost.ScreenshotAsync(page, "10-new-sweep");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit fine-tune sweep" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/sweeps/[0-9a-f-]{36}$"));
        var sweep = Guid.Parse(page.Url[^36..]);
        try
        {
            await Expect(page.Locator(".slm-sweep-status .rz-badge", new() { HasText = "Succeeded" })).ToBeVisibleAsync(Training);
        }
        catch (PlaywrightException)
        {
            await DashboardHost.ScreenshotAsync(page, "11-sweep-failed");
            Assert.Fail($"Sweep {sweep} did not show Succeeded within {DashboardHost.Deadline}.\n{host.WorkerOutput}");
        }
        await Expect(page.Locator(".slm-leaderboard tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator(".slm-register-best")).ToContainTextAsync("e2e-sweep v");
        await Expect(page.Locator(".slm-sweep-scatter path").First).ToBeAttachedAsync();
        await page.Locator(".slm-sort[data-column='training.learningRate']").ClickAsync();
        await Expect(page.Locator(".slm-leaderboard tbody tr").First).ToContainTextAsync("0.001");
        await DashboardHost.ScreenshotAsync(page, "11-sweep");

        await page.GotoAsync($"runs?sweep={sweep}");
        await Expect(page.Locator(".slm-sweep-filter")).ToBeVisibleAsync();
        await Expect(page.GetByText("e2e-lr-sweep #0")).ToBeVisibleAsync();
        await Expect(page.GetByText("e2e-lr-sweep #1")).ToBeVisibleAsync();
    }

    private static async Task PromoteAsync(IPage page)
    {
        await page.GotoInteractiveAsync("registry/e2e-task", "tr[data-version='1'] button");
        var version = page.Locator("tr[data-version='1']");
        await Expect(version).ToContainTextAsync("on id 1");
        await version.GetByRole(AriaRole.Button, new() { Name = "Promote" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.Locator(".slm-gate")).ToHaveAttributeAsync("data-passes", "true");
        await Expect(dialog).ToContainTextAsync("The promotion gate passes");
        await DashboardHost.ScreenshotAsync(page, "10-registry-promote-dialog");
        await dialog.Locator("#registry-reason").FillAsync("first version from the e2e journey");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Promote to production" }).ClickAsync();
        await Expect(page.Locator("tr[data-alias='production']")).ToContainTextAsync("v1");
        await Expect(page.Locator(".slm-registry-audit")).ToContainTextAsync("first version from the e2e journey");
        await DashboardHost.ScreenshotAsync(page, "11-registry");

        // The alias was set once and never moved: a rollback is refused with the reason inside the dialog.
        await page.Locator("tr[data-alias='production']").GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
        var rollback = page.GetByRole(AriaRole.Dialog);
        await rollback.GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
        await Expect(rollback.GetByRole(AriaRole.Alert)).ToContainTextAsync("no earlier version to return to");
        await DashboardHost.ScreenshotAsync(page, "11b-registry-rollback-refused");
        await rollback.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
    }

    private static async Task GenerateAsync(IPage page)
    {
        await page.GotoInteractiveAsync("playground", "#playground-form");
        await page.Locator("#prompt").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate" }).ClickAsync();
        await Expect(page.Locator("#prompt-error")).ToContainTextAsync("prompt is empty");
        await page.Locator("#prompt").FillAsync("To be, or not to be");
        await page.Locator("#max_tokens").FillAsync("16");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate" }).ClickAsync();
        await Expect(page.Locator("[data-testid='llm-alone']")).ToContainTextAsync("tokens/s", new() { Timeout = 120_000 });
        await Expect(page.Locator("[data-testid='llm-slm']")).ToContainTextAsync("e2e-task@production");
        await Expect(page.Locator("[data-testid='llm-slm']")).ToContainTextAsync("16 tokens");
        await DashboardHost.ScreenshotAsync(page, "12-playground");
    }

    private async Task ViewerCannotPromoteAsync()
    {
        var viewer = await host.SignedInPageAsync(host.ViewerKey);
        await viewer.GotoAsync("registry/e2e-task");
        await Expect(viewer.Locator("tr[data-alias='production']")).ToContainTextAsync("v1");
        await Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Promote" })).ToHaveCountAsync(0);
        await Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Roll back" })).ToHaveCountAsync(0);
        await DashboardHost.ScreenshotAsync(viewer, "13-registry-as-viewer");
        await viewer.GotoAsync("runs/new");
        await Expect(viewer.GetByText("Submitting runs needs the editor role")).ToBeVisibleAsync();
    }

    /// <summary>About 24 KB of English text: enough blocks of 32 two-character tokens for the tiny presets.</summary>
    private static byte[] Corpus()
    {
        string[] lines =
        [
            "To be, or not to be, that is the question:",
            "Whether 'tis nobler in the mind to suffer",
            "The slings and arrows of outrageous fortune,",
            "Or to take arms against a sea of troubles",
            "And by opposing end them. To die: to sleep;",
            "No more; and by a sleep to say we end",
        ];
        var text = new StringBuilder();
        for (var i = 0; i < 100; i++) text.AppendLine(lines[i % lines.Length]);
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
