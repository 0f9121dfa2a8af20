using System.Globalization;
using Bunit;
using MailTracker.Core.Accounts;
using MailTracker.Core.Tracking;
using MailTracker.Tests.Infrastructure;
using MailTracker.Web.Components.Pages.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MailTracker.Tests.Components.Settings;

/// <summary>The tracking switches of Settings › Email integration, and the Gold plan gate on them.</summary>
public sealed class TrackingSwitchesTests : ComponentTestBase
{
    private const string PlanNote = "Email tracking is available on the Gold plan — Settings › Billing › Change plan";

    public TrackingSwitchesTests()
    {
        Services.AddSingleton<TrackingPreferences>();
        Services.AddSingleton<TrackingBaseUrl>();
        Services.Configure<TrackingOptions>(o => o.PublicBaseUrl = "https://track.example.com");
    }

    [Fact]
    public async Task OnSilverBothSwitchesAreDisabledWithTheWayToUpgrade()
    {
        await OnPlanAsync(Plan.Silver);

        var cut = Render<TrackingSwitches>();

        var switches = cut.WaitForElements("input[role=switch]");
        Assert.Equal(3, switches.Count); // open, link, each recipient separately
        Assert.All(switches, s => Assert.True(s.HasAttribute("disabled")));
        var note = cut.Find(".plan-note a");
        Assert.Equal(PlanNote, note.TextContent.Trim());
        Assert.Equal("settings/billing", note.GetAttribute("href"));
    }

    [Fact]
    public async Task OnGoldTheSwitchesWorkAndASwitchTurnedOffIsSaved()
    {
        var userId = await OnPlanAsync(Plan.Gold);

        var cut = Render<TrackingSwitches>();

        var switches = cut.WaitForElements("input[role=switch]");
        Assert.All(switches, s => Assert.False(s.HasAttribute("disabled")));
        Assert.Empty(cut.FindAll(".plan-note"));
        Assert.Contains("Notifications about opens and clicks come through the bell", cut.Markup);

        await switches[0].ChangeAsync(new() { Value = false });

        await using var db = await Db();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId);
        Assert.False(user.OpenTrackingEnabled);
        Assert.True(user.LinkTrackingEnabled);
    }

    [Fact]
    public async Task TheGoldPlanNoteIsInPolishForPolishUsers()
    {
        await OnPlanAsync(Plan.Silver);
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("pl");
        try
        {
            var cut = Render<TrackingSwitches>();

            Assert.Equal("Śledzenie poczty jest dostępne w planie Gold — Ustawienia › Płatności › Zmień plan", cut.WaitForElement(".plan-note a").TextContent.Trim());
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }

    [Fact]
    public async Task ATrackingAddressOnlyThisComputerReachesIsWarnedAbout()
    {
        Services.Configure<TrackingOptions>(o => o.PublicBaseUrl = "http://127.0.0.1:5000");
        await OnPlanAsync(Plan.Gold);

        var cut = Render<TrackingSwitches>();

        Assert.Contains("only this computer can reach", cut.WaitForElement("[data-testid=loopback-warning]").TextContent);
    }

    private async Task<string> OnPlanAsync(Plan plan)
    {
        var userId = await SignInAsync();
        await using var db = await Db();
        var workspace = new Workspace();
        workspace.ChangePlan(plan);
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync();
        return userId;
    }
}
