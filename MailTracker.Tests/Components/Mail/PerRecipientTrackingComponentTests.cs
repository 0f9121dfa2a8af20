using System.Globalization;
using AngleSharp.Dom;
using Bunit;
using MailTracker.Core.Accounts;
using MailTracker.Core.Messages;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Verdicts;
using MailTracker.Tests.Components.Contacts;
using MailTracker.Web.Components.Pages.Mail;
using MailTracker.Web.Components.Pages.Settings;
using MailTracker.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MailTracker.Tests.Components.Mail;

/// <summary>"Track each recipient separately": its switch in settings and the composer, and the pages that then say who.</summary>
public sealed class PerRecipientTrackingComponentTests : ContactsComponentTestBase
{
    private const string EachRecipient = "Track each recipient separately";
    private static readonly DateTime Opened = new(2026, 11, 27, 10, 2, 0, DateTimeKind.Utc);

    public PerRecipientTrackingComponentTests()
    {
        Services.AddSingleton<TrackingPreferences>();
        Services.AddSingleton<TrackingBaseUrl>();
        Services.Configure<TrackingOptions>(o => o.PublicBaseUrl = "https://track.example.com");
    }

    private static IElement? Switch<T>(IRenderedComponent<T> root, string label)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        root.FindAll("label").SingleOrDefault(l => l.TextContent.Trim() == label)?.QuerySelector("input[type=checkbox]");

    [Fact]
    public async Task TheSettingsSwitchIsSavedAsTheComposersDefault()
    {
        var userId = await SignInWithMailboxAsync();

        var cut = Render<TrackingSwitches>();
        cut.WaitForAssertion(() => Assert.NotNull(Switch(cut, EachRecipient)));
        var each = Switch(cut, EachRecipient)!;
        Assert.False(each.HasAttribute("checked"));
        await each.ChangeAsync(new() { Value = true });

        await using var db = await Db();
        Assert.True((await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId)).TrackEachRecipient);
        cut.WaitForAssertion(() => Assert.True(Switch(cut, EachRecipient)!.HasAttribute("checked")));
    }

    [Fact]
    public async Task TheComposerOffersTheSwitchForMoreThanOneRecipientOnlyAndSendsACopyPerRecipient()
    {
        var userId = await SignInWithMailboxAsync();
        await using (var db = await Db())
        {
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.TrackEachRecipient, true));
        }

        var dialogs = Render<MudDialogProvider>();
        var service = Services.GetRequiredService<IDialogService>();
        await dialogs.InvokeAsync(() => service.ShowAsync<ComposeDialog>("New message", new DialogParameters<ComposeDialog> { { d => d.InitialTo, "anna@client.test" } }));
        dialogs.WaitForAssertion(() => Field(dialogs, "To"));
        Assert.Null(Switch(dialogs, EachRecipient));

        await Field(dialogs, "To").InputAsync(new() { Value = "anna@client.test, bob@client.test" });

        // On by default, as the user's setting says.
        dialogs.WaitForAssertion(() => Assert.NotNull(Switch(dialogs, EachRecipient)));
        var each = Switch(dialogs, EachRecipient)!;
        Assert.True(each.HasAttribute("checked"));

        await Field(dialogs, "Subject").InputAsync(new() { Value = "Pricing" });
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Send").ClickAsync(new());

        await using var check = await Db();
        var message = await check.Messages.AsNoTracking().SingleAsync(m => m.OwnerId == userId);
        Assert.True(message.TrackPerRecipient);
        Assert.Equal(["anna@client.test", "bob@client.test"], await check.MessageRecipients.Where(r => r.MessageId == message.Id).OrderBy(r => r.Id).Select(r => r.Address).ToListAsync());
    }

    [Fact]
    public async Task TheOpenIconsTooltipSaysWhoOpenedAndWhen()
    {
        await SignInAsync();
        var provider = Render<MudPopoverProvider>();
        var message = new MessageListItem
        {
            Id = 1, Folder = MailFolder.Sent, Status = MessageStatus.Sent, Subject = "Pricing", OpenTracking = true,
            TrackPerRecipient = true, OpenCount = 2, FirstOpenedAt = Opened, LastOpenedAt = Opened.AddMinutes(5),
            Openers = [new RecipientOpened("anna@client.test", Opened)],
        };

        var cut = Render<TrackingIcons>(p => p.Add(c => c.Message, message));
        Assert.Equal("Opened by anna@client.test · 27 Nov 2026, 10:02", cut.Find("[role=img][aria-label=Opened]").GetAttribute("aria-description"));
        await cut.Find(".mud-tooltip-root").PointerEnterAsync(new());

        provider.WaitForAssertion(() => Assert.Equal(
            "Opened by anna@client.test · 27 Nov 2026, 10:02", provider.Find(".mud-popover-open.mud-tooltip").TextContent.Trim()));
    }

    [Fact]
    public async Task TheMessagePageListsEachRecipientsDeliveryAndOpenAndNamesThemOnTheTimeline()
    {
        var id = await SeedPerRecipientAsync();
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        Render<MudPopoverProvider>();

        var cut = Render<MessagePage>(p => p.Add(m => m.Id, id));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("ul.recipient-list li").Count));
        var rows = cut.FindAll("ul.recipient-list li");
        Assert.Equal("Recipients", cut.Find("ul.recipient-list").GetAttribute("aria-label"));
        Assert.Contains("anna@client.test", rows[0].TextContent);
        Assert.Contains("Delivered 27 Nov 2026, 09:00", rows[0].TextContent);
        Assert.Contains("Opened by anna@client.test · 27 Nov 2026, 10:02", rows[0].TextContent);
        Assert.Contains("Not opened yet", rows[1].TextContent);
        Assert.Contains("(Bcc)", rows[2].TextContent);
        Assert.Contains("Not delivered: 550 5.1.1 No such user (carol@reject.invalid)", rows[2].TextContent);
        Assert.Contains("Each recipient got a copy of their own", cut.Markup);
        Assert.DoesNotContain("not by whom", cut.Markup);
        Assert.Equal("anna@client.test", cut.Find("ol.timeline li .timeline-recipient").TextContent.Trim());
    }

    [Fact]
    public async Task TheRecipientListIsInPolishForPolishUsers()
    {
        var id = await SeedPerRecipientAsync();
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        Render<MudPopoverProvider>();
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("pl");
        try
        {
            var cut = Render<MessagePage>(p => p.Add(m => m.Id, id));

            var list = cut.WaitForElement("ul.recipient-list");
            Assert.Equal("Odbiorcy", list.GetAttribute("aria-label"));
            Assert.Contains("Otworzył(a) anna@client.test · ", list.TextContent);
            Assert.Contains("Nie dostarczono: 550", list.TextContent);
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }

    /// <summary>A message to anna (delivered, opened), bob (delivered) and carol in Bcc (refused), as the outbox and projector leave it.</summary>
    private async Task<long> SeedPerRecipientAsync()
    {
        var userId = await SignInWithMailboxAsync();
        var result = await Services.GetRequiredService<OutboxService>().QueueAsync(userId, new ComposeRequest
        {
            To = "anna@client.test, bob@client.test", Bcc = "carol@reject.invalid", Subject = "Pricing", HtmlBody = "<p>Hello</p>",
            OpenTracking = true, TrackEachRecipient = true,
        });
        var id = result.MessageId!.Value;
        await using var db = await Db();
        var delivered = new DateTime(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc);
        var recipients = await db.MessageRecipients.Where(r => r.MessageId == id).OrderBy(r => r.Id).ToListAsync();
        recipients[0].MarkSent(delivered);
        recipients[1].MarkSent(delivered);
        recipients[2].MarkFailed("550 5.1.1 No such user (carol@reject.invalid)");
        db.TrackingEvents.Add(new TrackingEvent
        {
            MessageId = id, Kind = TrackingKind.Open, OccurredAt = Opened, Verdict = Verdict.Human, Counted = true,
            ClientClass = ClientClass.Desktop, Recipient = "anna@client.test",
        });
        await db.SaveChangesAsync();
        await db.Messages.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.OpenCount, 1).SetProperty(m => m.FirstOpenedAt, Opened).SetProperty(m => m.LastOpenedAt, Opened));
        return id;
    }
}
