using Bunit;
using MailTracker.Core.Accounts;
using MailTracker.Core.Insights;
using MailTracker.Core.Messages;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Verdicts;
using MailTracker.Tests.Infrastructure;
using MailTracker.Web.Components.Pages.Insights;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MailTracker.Tests.Components.Insights;

public sealed class InsightsPageTests : ComponentTestBase
{
    public InsightsPageTests()
    {
        Services.AddSingleton<InsightsQueries>();
    }

    /// <summary>Three tracked messages sent yesterday: one opened twice, one opened and clicked, one untouched but prefetched by Apple.</summary>
    private async Task SeedAsync(bool admin = false)
    {
        var userId = await SignInAsync();
        await using var db = await Db();
        if (admin)
        {
            var role = new Microsoft.AspNetCore.Identity.IdentityRole(Roles.Admin) { NormalizedName = Roles.Admin.ToUpperInvariant() };
            db.Roles.Add(role);
            db.UserRoles.Add(new Microsoft.AspNetCore.Identity.IdentityUserRole<string> { UserId = userId, RoleId = role.Id });
            Auth.SetRoles(Roles.Admin);
            Auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, userId)); // SetRoles drops claims
        }

        var account = new MailAccount { OwnerId = userId, EmailAddress = "rep@example.com", IsSandbox = true };
        db.MailAccounts.Add(account);
        await db.SaveChangesAsync();
        var sentAt = Clock.GetUtcNow().UtcDateTime.AddDays(-1);
        var seeded = new List<(Message Message, int Opens, int Clicks)>();
        foreach (var (subject, opens, clicks) in new[] { ("Offer for Globex", 2, 0), ("Pricing for Initech", 1, 1), ("Quiet hello", 0, 0) })
        {
            var message = Message.Queue(new OutgoingMail
            {
                OwnerId = userId, MailAccountId = account.Id, FromAddress = "rep@example.com", To = "bob@example.com", Subject = subject,
                HtmlBody = "<p>x</p>", MessageIdHeader = $"{subject}@example.com", OpenTracking = true, LinkTracking = true,
            }, sentAt);
            message.MarkSent(sentAt);
            db.Messages.Add(message);
            seeded.Add((message, opens, clicks));
        }

        await db.SaveChangesAsync();
        foreach (var (message, opens, clicks) in seeded)
        {
            await db.Messages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.OpenCount, opens).SetProperty(m => m.ClickCount, clicks));
        }

        db.TrackingEvents.Add(new TrackingEvent
        {
            MessageId = seeded[2].Message.Id, Kind = TrackingKind.Open, Verdict = Verdict.PrivacyProxy, Counted = false, OccurredAt = sentAt.AddSeconds(1),
        });
        await db.SaveChangesAsync();
    }

    private static string Total(IRenderedComponent<InsightsPage> page, string name) => page.Find($"[data-testid={name}]").TextContent.Trim();

    [Fact]
    public async Task ShowsTotalsChartsAndTheAutomatedShare()
    {
        await SeedAsync();

        var page = Render<InsightsPage>();

        page.WaitForAssertion(() => Assert.Equal("3", Total(page, "sent")));
        Assert.Equal("2", Total(page, "opened"));
        Assert.Equal("1", Total(page, "clicked"));
        Assert.Matches(@"67\s?% open rate", page.Find("[aria-label=Totals]").TextContent);
        Assert.NotNull(page.Find("figure[aria-label='Open rate over time'] svg"));
        Assert.NotNull(page.Find("figure[aria-label='Click rate over time'] svg"));
        Assert.Contains("Apple Mail Privacy Protection or prefetch · opens: 1", page.Find(".insights-automated").TextContent);
        Assert.Equal(["Day", "Week", "Month"], page.FindAll("[role=group][aria-label=Interval] button").Select(b => b.TextContent.Trim()));
    }

    [Fact]
    public async Task TheMessagesTableSortsAndEachRowOpensItsMessage()
    {
        await SeedAsync();
        var page = Render<InsightsPage>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".insights-message-row").Count));

        await page.FindAll("th button").Single(b => b.TextContent.Trim() == "Opens").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(
            ["Offer for Globex", "Pricing for Initech", "Quiet hello"],
            page.FindAll(".insights-subject").Select(a => a.TextContent.Trim())));
        var first = page.FindAll(".insights-message-row")[0];
        Assert.Equal(["2", "0"], first.QuerySelectorAll("td.text-right").Select(td => td.TextContent.Trim()));
        Assert.Equal("descending", page.FindAll("th").Single(th => th.TextContent.Trim() == "Opens").GetAttribute("aria-sort"));

        await first.ClickAsync(new());
        Assert.EndsWith("/mail/" + await FirstIdAsync("Offer for Globex"), Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().Uri);
    }

    [Fact]
    public async Task ExportCsvSavesTheShownRows()
    {
        await SeedAsync();
        var download = JSInterop.SetupVoid("mailTracker.download", _ => true);
        var page = Render<InsightsPage>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".insights-message-row").Count));

        await page.FindAll("button").Single(b => b.TextContent.Trim() == "Export CSV").ClickAsync(new());

        var call = Assert.Single(download.Invocations);
        var csv = (string)call.Arguments[2]!;
        Assert.StartsWith("Subject,Recipient,Sent,Opens,Clicks,Replied", csv);
        Assert.Contains("Pricing for Initech,bob@example.com,", csv);
        Assert.Equal(4, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task OnlyAdminsChooseBetweenTheirMailAndTheTeams()
    {
        await SeedAsync(admin: true);
        var page = Render<InsightsPage>();
        page.WaitForAssertion(() => Assert.Equal("3", Total(page, "sent")));

        await page.FindAll("button").Single(b => b.TextContent.Trim() == "Team").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Per user", page.Markup));
        Assert.Empty(page.FindAll(".insights-message-row"));
        Assert.Equal("true", page.FindAll("button").Single(b => b.TextContent.Trim() == "Team").GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task OthersSeeNoTeamChoice()
    {
        await SeedAsync();
        var page = Render<InsightsPage>();
        page.WaitForAssertion(() => Assert.Equal("3", Total(page, "sent")));

        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() is "Team" or "My mail");
    }

    [Fact]
    public async Task SpeaksPolish()
    {
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("pl");
        try
        {
            await SeedAsync();
            var page = Render<InsightsPage>();

            page.WaitForAssertion(() => Assert.Equal("3", Total(page, "sent")));
            Assert.NotNull(page.Find("figure[aria-label='Odsetek otwarć w czasie']"));
            Assert.Equal(["Dzień", "Tydzień", "Miesiąc"], page.FindAll("[role=group] button").Select(b => b.TextContent.Trim()).Take(3));
            Assert.Contains("Eksportuj CSV", page.Markup);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = culture;
        }
    }

    private async Task<long> FirstIdAsync(string subject)
    {
        await using var db = await Db();
        return await db.Messages.Where(m => m.Subject == subject).Select(m => m.Id).SingleAsync();
    }
}
