using Bunit;
using MailTracker.Core.Notifications;
using MailTracker.Web.Components.Pages.Contacts;
using MailTracker.Web.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MailTracker.Tests.Components.Contacts;

public sealed class PersonPageTests : ContactsComponentTestBase
{
    [Fact]
    public async Task APersonsPageShowsTheirDetailsAndTheMailWithThemNewestFirstWithTheMailTabsIcons()
    {
        var me = await SignInWithMailboxAsync();
        var bob = await AddPersonAsync(me, "Bob Brown", "bob@acme.example");
        await AddSentAsync(me, "bob@acme.example", "Older offer", minutesAgo: 90, opens: 2);
        await AddSentAsync(me, "carol@acme.example", "Not with Bob", minutesAgo: 60);
        await AddSentAsync(me, "\"Bob\" <Bob@Acme.example>", "Newer offer", minutesAgo: 30, tracked: false);

        var cut = Render<PersonPage>(p => p.Add(c => c.Id, bob));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("li.message-row").Count));
        Assert.Equal("Bob Brown", cut.Find("h1").TextContent.Trim());
        Assert.Contains("bob@acme.example", cut.Find("dl.detail-fields").TextContent);
        var rows = cut.FindAll("li.message-row");
        Assert.Equal(["Newer offer", "Older offer"], rows.Select(r => r.QuerySelector(".message-subject")!.TextContent));
        Assert.Empty(rows[0].QuerySelectorAll("span[role=img]"));
        Assert.Equal(["Opened", "No link clicked yet"], rows[1].QuerySelectorAll("span[role=img]").Select(i => i.GetAttribute("aria-label")));
        Assert.Equal("Email history", cut.Find("#email-history-title").TextContent);
    }

    [Fact]
    public async Task ForgetTrackingDataDeletesTheRawDataOfThePersonsHitsOnceConfirmed()
    {
        var me = await SignInWithMailboxAsync();
        var bob = await AddPersonAsync(me, "Bob Brown", "bob@acme.example");
        var toBob = await AddSentAsync(me, "bob@acme.example", "Offer", minutesAgo: 30, opens: 1);
        var toCarol = await AddSentAsync(me, "carol@acme.example", "Other", minutesAgo: 20, opens: 1);
        await using (var db = await Db())
        {
            foreach (var id in new[] { toBob, toCarol })
            {
                db.TrackingEvents.Add(new MailTracker.Core.Tracking.TrackingEvent
                {
                    MessageId = id, Kind = MailTracker.Core.Tracking.TrackingKind.Open, Verdict = MailTracker.Core.Tracking.Verdicts.Verdict.Human, Counted = true,
                    OccurredAt = Now.AddMinutes(-5), UserAgent = "Mozilla/5.0 Thunderbird/128.0", IpAddress = "203.0.113.0",
                });
            }

            await db.SaveChangesAsync();
        }

        var provider = Render<MudDialogProvider>();
        var cut = Render<PersonPage>(p => p.Add(c => c.Id, bob));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("li.message-row")));

        // The click's handler waits for the confirmation, so it completes only after the dialog is answered.
        var clicked = cut.FindAll("button").Single(b => b.TextContent.Trim() == "Forget tracking data").ClickAsync(new());
        provider.WaitForAssertion(() => Assert.Contains("The opens, clicks and their times stay.", provider.Markup));
        await provider.FindAll("button").Single(b => b.TextContent.Trim() == "Forget").ClickAsync(new());
        await clicked;

        await MailTracker.Tests.Infrastructure.Eventually.TrueAsync(async () =>
        {
            await using var db = await Db();
            return await db.TrackingEvents.AnyAsync(e => e.MessageId == toBob && e.IpAddress == null && e.UserAgent == null);
        }, "Bob's hit to lose its raw data");
        await using var check = await Db();
        Assert.NotNull((await check.TrackingEvents.SingleAsync(e => e.MessageId == toCarol)).IpAddress);
    }

    [Fact]
    public async Task APersonWithNoMailSaysSoHonestly()
    {
        var me = await SignInWithMailboxAsync();
        var dana = await AddPersonAsync(me, "Dana", "dana@example.com");

        var cut = Render<PersonPage>(p => p.Add(c => c.Id, dana));

        cut.WaitForAssertion(() => Assert.Equal("No mail with Dana yet. Compose one to start.", cut.Find(".email-history-empty").TextContent));
        Assert.Equal("No deals with Dana yet.", cut.Find("#person-deals-title").ParentElement!.ParentElement!.QuerySelector("p")!.TextContent);
    }

    [Fact]
    public async Task AnotherUsersPersonIsNotFound()
    {
        await SignInWithMailboxAsync();
        var other = await AddOtherUserAsync("other@example.com");
        var theirs = await AddPersonAsync(other, "Secret Sam", "sam@example.com");

        var cut = Render<PersonPage>(p => p.Add(c => c.Id, theirs));

        cut.WaitForAssertion(() => Assert.Equal("Not found", cut.Find("h1").TextContent));
        Assert.DoesNotContain("Secret Sam", cut.Markup);
        Assert.DoesNotContain("sam@example.com", cut.Markup);
    }

    [Fact]
    public async Task TheHistoryIconFillsWhenAnOpenIsRecordedWithoutAReload()
    {
        var me = await SignInWithMailboxAsync();
        var bob = await AddPersonAsync(me, "Bob", "bob@example.com");
        var id = await AddSentAsync(me, "bob@example.com", "Proposal", minutesAgo: 5);
        var cut = Render<PersonPage>(p => p.Add(c => c.Id, bob));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[role=img][aria-label='Not opened yet']")));

        await RecordOpensAsync(id, 1);
        await cut.InvokeAsync(() => Services.GetRequiredService<LiveUpdates>().PublishAsync(new UserPushEvent(UserPushKinds.Tracking, id, null)));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[role=img][aria-label='Opened']")));
    }

    [Fact]
    public async Task ComposeOpensTheComposerPrefilledWithThePersonAndTheMailJoinsTheirHistory()
    {
        var me = await SignInWithMailboxAsync();
        var bob = await AddPersonAsync(me, "Bob Brown", "bob@acme.example");
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<PersonPage>(p => p.Add(c => c.Id, bob));
        cut.WaitForAssertion(() => Assert.Equal("Bob Brown", cut.Find("h1").TextContent.Trim()));

        // The click's handler runs until the composer closes, so it is awaited only after Send.
        var composing = cut.FindAll("button").Single(b => b.TextContent.Trim() == "Compose").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Equal("\"Bob Brown\" <bob@acme.example>", Field(dialogs, "To").GetAttribute("value")));
        await Field(dialogs, "Subject").InputAsync(new() { Value = "Hello from the person page" });
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Send").ClickAsync(new());
        await composing;

        cut.WaitForAssertion(() => Assert.Equal("Hello from the person page", cut.Find("li.message-row .message-subject").TextContent));
        await using var db = await Db();
        var message = await db.Messages.SingleAsync();
        Assert.Equal((bob, (int?)null), (message.PersonId!.Value, message.DealId));
    }
}
