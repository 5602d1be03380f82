using Microsoft.Extensions.DependencyInjection;
using SlmOps.Web.ComponentTests.Fakes;
using SlmOps.Web.Components.Pages.Registry;
using RegistryPage = SlmOps.Web.Components.Pages.Registry.Registry;

namespace SlmOps.Web.ComponentTests.Pages;

/// <summary>The registry's promote dialog: it shows the gate's verdict and lets a failing gate be passed only by forcing with a reason.</summary>
public sealed class RegistryPromoteTests : DashboardTestContext
{
    private readonly FakeRegistryData _data = new();

    public RegistryPromoteTests() : base(role: "Promoter") => Services.AddSingleton<IRegistryData>(_data);

    [Fact]
    public void A_failing_gate_needs_force_and_a_reason_before_the_promotion_is_sent_forced()
    {
        var page = Render<RegistryPage>();

        page.Find("tr[data-version='2'] button").Click();

        Assert.Equal(("production", 2), Assert.Single(_data.GateChecks));
        Assert.Equal("false", page.Find(".slm-gate").GetAttribute("data-passes"));
        Assert.Contains("worse than production", page.Find(".slm-gate").TextContent);
        Assert.Contains("2.0000", page.Find(".slm-gate table").TextContent); // the holder's loss beside the candidate's
        var confirm = ConfirmButton(page);
        Assert.Contains("Force promote", confirm.TextContent);
        Assert.True(confirm.HasAttribute("disabled"));

        page.Find("#registry-force").Change(true);
        Assert.True(ConfirmButton(page).HasAttribute("disabled")); // forcing without a reason is refused
        page.Find("#registry-reason").Input("hotfix for the outage");
        ConfirmButton(page).Click();

        var promotion = Assert.Single(_data.Promotions);
        Assert.True(promotion.Request.Force);
        Assert.Equal(2, promotion.Request.Version);
        Assert.Equal("hotfix for the outage", promotion.Request.Reason);
        Assert.Contains("forced past the gate", page.Markup);
        Assert.Empty(page.FindAll("[role=dialog]"));
    }

    [Fact]
    public void A_passing_gate_promotes_without_force()
    {
        _data.Gate = (alias, version) => FakeRegistryData.Verdict(alias, version, passes: true);
        var page = Render<RegistryPage>();

        page.Find("tr[data-version='2'] button").Click();
        var confirm = ConfirmButton(page);
        Assert.Contains("Promote to production", confirm.TextContent);
        Assert.False(confirm.HasAttribute("disabled"));
        Assert.Empty(page.FindAll("#registry-force"));
        confirm.Click();

        Assert.False(Assert.Single(_data.Promotions).Request.Force);
        Assert.Contains("support@production now points at version 2.", page.Markup);
    }

    [Fact]
    public void Changing_the_alias_asks_the_gate_again()
    {
        var page = Render<RegistryPage>();
        page.Find("tr[data-version='2'] button").Click();

        page.Find("#registry-alias").Change("staging");

        Assert.Equal(("staging", 2), _data.GateChecks[^1]);
    }

    [Fact]
    public void A_viewer_sees_no_promote_or_rollback_button()
    {
        using var viewer = new ViewerTestContext();
        viewer.Services.AddSingleton<IRegistryData>(new FakeRegistryData());

        var page = viewer.Render<RegistryPage>();

        Assert.NotEmpty(page.FindAll("tr[data-version]"));
        Assert.Empty(page.FindAll("tr[data-version] button"));
        Assert.Empty(page.FindAll("tr[data-alias] button"));
    }

    private static AngleSharp.Dom.IElement ConfirmButton(IRenderedComponent<RegistryPage> page) =>
        page.FindAll("[role=dialog] button").Last();
}
