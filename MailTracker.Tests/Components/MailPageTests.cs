using Bunit;
using MailTracker.Core.Accounts;
using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;
using MailTracker.Web.Components.Pages.Mail;
using MudBlazor;

namespace MailTracker.Tests.Components;

public sealed class MailPageTests : ComponentTestBase
{
    private async Task SeedAsync()
    {
        var userId = await SignInAsync();
        await using var db = await Db();
        var account = new MailAccount { OwnerId = userId, EmailAddress = "rep@example.com", IsSandbox = true };
        db.MailAccounts.Add(account);
        await db.SaveChangesAsync();
        foreach (var (subject, tracked, minutesAgo) in new[] { ("Tracked offer", true, 5), ("Plain note", false, 60) })
        {
            var at = Clock.GetUtcNow().UtcDateTime.AddMinutes(-minutesAgo);
            var message = Message.Queue(new OutgoingMail
            {
                OwnerId = userId, MailAccountId = account.Id, FromAddress = "rep@example.com", To = "bob@example.com", Subject = subject,
                HtmlBody = "<p>x</p>", MessageIdHeader = $"{subject}@example.com", OpenTracking = tracked, LinkTracking = tracked,
            }, at);
            message.MarkSent(at);
            db.Messages.Add(message);
        }

        await db.SaveChangesAsync();
    }

    private static List<string> Subjects(IRenderedComponent<MailPage> page) =>
        page.FindAll(".message-subject").Select(e => e.TextContent).ToList();

    [Fact]
    public async Task TheTrackingFilterShowsAsARemovableChip()
    {
        await SeedAsync();
        var provider = Render<MudPopoverProvider>();
        var page = Render<MailPage>(p => p.Add(c => c.FolderSegment, "sent"));
        page.WaitForAssertion(() => Assert.Equal(["Tracked offer", "Plain note"], Subjects(page)));
        Assert.Empty(page.FindAll(".filter-chip"));

        await page.FindAll("button").Single(b => b.TextContent.Trim() == "Filter").ClickAsync(new());
        var option = provider.WaitForElement("label:contains('Email tracking enabled') input[type=checkbox]");
        await option.ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = true });

        page.WaitForAssertion(() => Assert.Equal(["Tracked offer"], Subjects(page)));
        var chip = page.Find(".filter-chip");
        Assert.Contains("Email tracking enabled", chip.TextContent);

        await page.Find("button[aria-label='Remove filter Email tracking enabled']").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(["Tracked offer", "Plain note"], Subjects(page)));
        Assert.Empty(page.FindAll(".filter-chip"));
    }

    [Fact]
    public async Task OnlyTrackedRowsShowIcons()
    {
        await SeedAsync();

        var page = Render<MailPage>(p => p.Add(c => c.FolderSegment, "sent"));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".message-row").Count));
        var rows = page.FindAll(".message-row");
        Assert.Equal(2, rows[0].QuerySelectorAll("span[role=img]").Length);
        Assert.Empty(rows[1].QuerySelectorAll("span[role=img]"));
    }
}
