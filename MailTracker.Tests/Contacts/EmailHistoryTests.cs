using MailTracker.Core.Accounts;
using MailTracker.Core.Contacts;
using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Contacts;

/// <summary>Mail is matched to people by participant address and to deals by the link made when composing.</summary>
public sealed class EmailHistoryTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    private ContactBook People => app.Service<ContactBook>();

    private DealPipeline Deals => app.Service<DealPipeline>();

    private EmailHistory History => app.Service<EmailHistory>();

    private async Task<long> QueueAsync(AppUser sender, string to, string subject, string cc = "", int? personId = null, int? dealId = null)
    {
        var result = await app.Service<OutboxService>().QueueAsync(sender.Id, new ComposeRequest
        {
            To = to,
            Cc = cc,
            Subject = subject,
            HtmlBody = "<p>Hello</p>",
            PersonId = personId,
            DealId = dealId,
        });
        Assert.True(result.Succeeded, string.Join(", ", result.Errors));
        return result.MessageId!.Value;
    }

    private async Task<int> AddPersonAsync(AppUser owner, string name, string email, string others = "", bool doNotTrack = false)
    {
        var result = await People.AddAsync(owner.Id, new PersonInput { Name = name, Email = email, OtherEmails = others, DoNotTrack = doNotTrack });
        Assert.True(result.Succeeded, string.Join(", ", result.Errors));
        return result.Id!.Value;
    }

    [Fact]
    public async Task APersonsHistoryHasTheMailWithAnyOfTheirAddressesInToCcOrFromNewestFirst()
    {
        var rep = await app.CreateUserAsync("history-rep@example.com");
        var bob = await AddPersonAsync(rep, "Bob Brown", "bob@acme.example", others: "Bob.Brown@Home.example");
        var first = await QueueAsync(rep, "Bob <BOB@acme.example>", "First");
        var copied = await QueueAsync(rep, "carol@acme.example", "Copied", cc: "bob.brown@home.example");
        await QueueAsync(rep, "carol@acme.example", "Not with Bob");

        // A message's date is when it was sent; let the outbox finish so the order is the order of sending.
        await Eventually.TrueAsync(async () =>
        {
            await using var check = await app.DbAsync();
            return !await check.Messages.AnyAsync(m => m.OwnerId == rep.Id && m.Status != MessageStatus.Sent);
        }, "the outbox to send everything");
        await using (var db = await app.DbAsync())
        {
            var account = await db.MailAccounts.SingleAsync(a => a.OwnerId == rep.Id);
            db.Messages.Add(Message.Receive(new IncomingMail
            {
                OwnerId = rep.Id,
                MailAccountId = account.Id,
                Folder = MailFolder.Inbox,
                FromAddress = "bob@acme.example",
                FromName = "Bob Brown",
                To = "history-rep@example.com",
                Subject = "Re: First",
                TextBody = "Thanks",
                Date = DateTime.UtcNow.AddMinutes(5),
            }));
            await db.SaveChangesAsync();
        }

        var page = await History.ForPersonAsync(rep.Id, bob);

        Assert.Equal(["Re: First", "Copied", "First"], page.Items.Select(i => i.Subject));
        Assert.Contains(page.Items, i => i.Id == first && i.OpenTracking == false);
        Assert.Contains(page.Items, i => i.Id == copied);
        Assert.False(page.HasMore);
    }

    [Fact]
    public async Task MailWrittenFromAPersonsPageStaysInTheirHistoryEvenToAnotherAddress()
    {
        var rep = await app.CreateUserAsync("explicit-rep@example.com");
        var dana = await AddPersonAsync(rep, "Dana", "dana@acme.example");

        await QueueAsync(rep, "dana.private@example.org", "Written from Dana's page", personId: dana);

        var page = await History.ForPersonAsync(rep.Id, dana);
        Assert.Equal(["Written from Dana's page"], page.Items.Select(i => i.Subject));
    }

    [Fact]
    public async Task ADealsHistoryHasOnlyTheMailLinkedToIt()
    {
        var rep = await app.CreateUserAsync("deal-rep@example.com");
        var erin = await AddPersonAsync(rep, "Erin", "erin@acme.example");
        var deal = (await Deals.AddAsync(rep.Id, new DealInput { Title = "Acme renewal", Value = 12_500m, Currency = "EUR", Stage = DealStage.Proposal, PersonId = erin })).Id!.Value;
        var other = (await Deals.AddAsync(rep.Id, new DealInput { Title = "Acme upsell", Currency = "EUR", PersonId = erin })).Id!.Value;

        await QueueAsync(rep, "erin@acme.example", "About the renewal", dealId: deal);
        await QueueAsync(rep, "erin@acme.example", "About the upsell", dealId: other);
        await QueueAsync(rep, "erin@acme.example", "Just hello");

        Assert.Equal(["About the renewal"], (await History.ForDealAsync(rep.Id, deal)).Items.Select(i => i.Subject));
        Assert.Equal(["About the upsell"], (await History.ForDealAsync(rep.Id, other)).Items.Select(i => i.Subject));
        Assert.Equal(3, (await History.ForPersonAsync(rep.Id, erin)).Items.Count);
    }

    [Fact]
    public async Task EveryQueuedMessageRecordsItsFromToAndCcAddressesOnce()
    {
        var rep = await app.CreateUserAsync("participants-rep@example.com");

        var id = await QueueAsync(rep, "\"Smith, Ann\" <Ann@Example.com>, ann@example.com, joe@example.com", "Participants", cc: "kim@example.com");

        await using var db = await app.DbAsync();
        var rows = await db.MessageParticipants.Where(p => p.MessageId == id).OrderBy(p => p.Role).ThenBy(p => p.Address).ToListAsync();
        Assert.Equal(
            [
                ("participants-rep@example.com", ParticipantRole.From),
                ("ann@example.com", ParticipantRole.To),
                ("joe@example.com", ParticipantRole.To),
                ("kim@example.com", ParticipantRole.Cc),
            ],
            rows.Select(r => (r.Address, r.Role)));
        Assert.All(rows, r => Assert.Equal(rep.Id, r.OwnerId));
    }

    [Fact]
    public async Task AnUnknownRecipientIsSuggestedOnlyTheFirstTimeTheyAreMailed()
    {
        var rep = await app.CreateUserAsync("suggest-rep@example.com");
        await AddPersonAsync(rep, "Known", "known@example.com");

        var first = await QueueAsync(rep, "\"Frank Ocean\" <frank@example.com>, known@example.com", "Hello Frank", cc: "gina@example.com");
        var suggestions = await People.SuggestionsForAsync(rep.Id, first);
        var second = await QueueAsync(rep, "frank@example.com", "Hello again");

        Assert.Equal([new PersonSuggestion("Frank Ocean", "frank@example.com"), new PersonSuggestion("", "gina@example.com")], suggestions);
        Assert.Empty(await People.SuggestionsForAsync(rep.Id, second));
        var saved = await People.SaveSuggestionAsync(rep.Id, suggestions[1]);
        var gina = await People.GetAsync(rep.Id, saved.Id!.Value);
        Assert.Equal(("gina@example.com", "gina@example.com"), (gina!.Name, gina.PrimaryEmail));
    }
}
