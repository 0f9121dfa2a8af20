using Bunit;
using MailTracker.Core.Contacts;
using MailTracker.Web.Components.Pages.Deals;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace MailTracker.Tests.Components.Contacts;

public sealed class DealPageTests : ContactsComponentTestBase
{
    private async Task<int> AddDealAsync(string ownerId, string title, int? personId, DealStage stage = DealStage.Proposal)
    {
        var result = await Deals.AddAsync(ownerId, new DealInput { Title = title, Value = 12_500m, Currency = "EUR", Stage = stage, PersonId = personId });
        Assert.True(result.Succeeded, string.Join(", ", result.Errors));
        return result.Id!.Value;
    }

    [Fact]
    public async Task ADealsPageShowsItsValueStagePersonAndOnlyTheMailLinkedToIt()
    {
        var me = await SignInWithMailboxAsync();
        var erin = await AddPersonAsync(me, "Erin", "erin@acme.example");
        var deal = await AddDealAsync(me, "Acme renewal", erin);
        await AddSentAsync(me, "erin@acme.example", "About the renewal", minutesAgo: 20, opens: 1, dealId: deal);
        await AddSentAsync(me, "erin@acme.example", "Just hello", minutesAgo: 10);

        var cut = Render<DealPage>(p => p.Add(c => c.Id, deal));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("li.message-row")));
        Assert.Equal("Acme renewal", cut.Find("h1").TextContent.Trim());
        Assert.Equal("12,500.00 EUR", cut.Find(".deal-value-badge").TextContent);
        Assert.Equal("Proposal", cut.Find(".deal-pipeline [aria-current=step]").TextContent);
        Assert.Equal($"contacts/{erin}", cut.Find("dl.detail-fields a").GetAttribute("href"));
        Assert.Equal("About the renewal", cut.Find("li.message-row .message-subject").TextContent);
        Assert.NotNull(cut.Find("li.message-row [role=img][aria-label='Opened']"));
    }

    [Fact]
    public async Task ADealWithNoMailSaysSo()
    {
        var me = await SignInWithMailboxAsync();
        var deal = await AddDealAsync(me, "Fresh lead", null, DealStage.Lead);

        var cut = Render<DealPage>(p => p.Add(c => c.Id, deal));

        cut.WaitForAssertion(() => Assert.Equal(
            "No mail about this deal yet. Mail you compose here is linked to it.", cut.Find(".email-history-empty").TextContent));
        Assert.Contains("Nobody yet. Edit the deal to choose a person.", cut.Find("dl.detail-fields").TextContent);
    }

    [Fact]
    public async Task AnotherUsersDealIsNotFound()
    {
        await SignInWithMailboxAsync();
        var other = await AddOtherUserAsync("other@example.com");
        var theirs = await AddDealAsync(other, "Their secret deal", null);

        var cut = Render<DealPage>(p => p.Add(c => c.Id, theirs));

        cut.WaitForAssertion(() => Assert.Equal("Not found", cut.Find("h1").TextContent));
        Assert.DoesNotContain("Their secret deal", cut.Markup);
    }

    [Fact]
    public async Task ComposeFromADealIsPrefilledWithItsPersonAndTheSentMailIsLinkedToTheDeal()
    {
        var me = await SignInWithMailboxAsync();
        var erin = await AddPersonAsync(me, "Erin", "erin@acme.example");
        var deal = await AddDealAsync(me, "Acme renewal", erin);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<DealPage>(p => p.Add(c => c.Id, deal));
        cut.WaitForAssertion(() => Assert.Equal("Acme renewal", cut.Find("h1").TextContent.Trim()));

        // The click's handler runs until the composer closes, so it is awaited only after Send.
        var composing = cut.FindAll("button").Single(b => b.TextContent.Trim() == "Compose").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Equal("\"Erin\" <erin@acme.example>", Field(dialogs, "To").GetAttribute("value")));
        await Field(dialogs, "Subject").InputAsync(new() { Value = "Renewal terms" });
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Send").ClickAsync(new());
        await composing;

        cut.WaitForAssertion(() => Assert.Equal("Renewal terms", cut.Find("li.message-row .message-subject").TextContent));
        await using var db = await Db();
        Assert.Equal(deal, (await db.Messages.SingleAsync()).DealId);
    }
}
