using MailTracker.Core.Contacts;
using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Contacts;

/// <summary>People and deals are private to their owner (docs/decisions/0007-contacts-scoping.md).</summary>
public sealed class ContactScopingTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    private ContactBook People => app.Service<ContactBook>();

    private DealPipeline Deals => app.Service<DealPipeline>();

    [Fact]
    public async Task AnotherUserCannotSeeMyPeopleOrDealsByListSearchOrId()
    {
        var alice = await app.CreateUserAsync("scope-alice@example.com");
        var mallory = await app.CreateUserAsync("scope-mallory@example.com");
        var person = (await People.AddAsync(alice.Id, new PersonInput { Name = "Secret Sam", Email = "sam@acme.example", Organization = "Acme" })).Id!.Value;
        var deal = (await Deals.AddAsync(alice.Id, new DealInput { Title = "Secret deal", Value = 1000m, Currency = "EUR", PersonId = person })).Id!.Value;

        Assert.Empty((await People.ListAsync(mallory.Id)).Items);
        Assert.Empty((await People.ListAsync(mallory.Id, "sam")).Items);
        Assert.Empty(await People.FindAsync(mallory.Id, "acme"));
        Assert.Null(await People.GetAsync(mallory.Id, person));
        Assert.Empty(await Deals.ListAsync(mallory.Id));
        Assert.Empty(await Deals.ListAsync(mallory.Id, "secret"));
        Assert.Null(await Deals.GetAsync(mallory.Id, deal));

        Assert.Equal(["Secret Sam"], (await People.ListAsync(alice.Id, "acme")).Items.Select(p => p.Name));
        Assert.Equal("Secret Sam", (await Deals.GetAsync(alice.Id, deal))!.Person!.Name);
    }

    [Fact]
    public async Task AnotherUsersPersonAndDealPagesSayNotFoundAndTheirListsStayEmpty()
    {
        var alice = await app.CreateUserAsync("pages-alice@example.com");
        await app.CreateUserAsync("pages-mallory@example.com");
        var person = (await People.AddAsync(alice.Id, new PersonInput { Name = "Hidden Hugo", Email = "hugo@acme.example" })).Id!.Value;
        var deal = (await Deals.AddAsync(alice.Id, new DealInput { Title = "Hidden deal", Currency = "EUR", PersonId = person })).Id!.Value;
        var (mallory, _) = await TestMail.SignInAsync(app, "pages-mallory@example.com");
        var (owner, _) = await TestMail.SignInAsync(app, "pages-alice@example.com");

        foreach (var url in new[] { $"/contacts/{person}", $"/deals/{deal}", "/contacts", "/deals" })
        {
            var page = await (await mallory.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.DoesNotContain("Hidden", page);
            Assert.DoesNotContain("hugo@acme.example", page);
        }

        foreach (var url in new[] { $"/contacts/{person}", $"/deals/{deal}" })
        {
            var response = await mallory.GetAsync(url);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("Not found", await response.Content.ReadAsStringAsync());
        }

        Assert.Contains("Hidden Hugo", await owner.GetStringAsync($"/contacts/{person}"));
        Assert.Contains("Hidden deal", await owner.GetStringAsync($"/deals/{deal}"));
    }

    [Fact]
    public async Task AnotherUserCannotChangeDeleteOrLinkToMyPeopleAndDeals()
    {
        var alice = await app.CreateUserAsync("change-alice@example.com");
        var mallory = await app.CreateUserAsync("change-mallory@example.com");
        var person = (await People.AddAsync(alice.Id, new PersonInput { Name = "Sam", Email = "sam2@acme.example" })).Id!.Value;
        var deal = (await Deals.AddAsync(alice.Id, new DealInput { Title = "Deal", Currency = "EUR" })).Id!.Value;

        var edit = await People.UpdateAsync(mallory.Id, person, new PersonInput { Name = "Hacked", Email = "x@example.com" });
        var dealEdit = await Deals.UpdateAsync(mallory.Id, deal, new DealInput { Title = "Hacked", Currency = "EUR" });
        var linked = await Deals.AddAsync(mallory.Id, new DealInput { Title = "Mine", Currency = "EUR", PersonId = person });

        Assert.Equal(ContactErrorKind.NotFound, Assert.Single(edit.Errors).Kind);
        Assert.Equal(ContactErrorKind.NotFound, Assert.Single(dealEdit.Errors).Kind);
        Assert.Equal(new ContactError(ContactField.Person, ContactErrorKind.NotFound), Assert.Single(linked.Errors));
        Assert.False(await Deals.MoveAsync(mallory.Id, deal, DealStage.Lost));
        Assert.False(await Deals.DeleteAsync(mallory.Id, deal));
        Assert.False(await People.DeleteAsync(mallory.Id, person));
        Assert.Equal("Sam", (await People.GetAsync(alice.Id, person))!.Name);
        Assert.Equal((DealStage.Lead, "Deal"), ((await Deals.GetAsync(alice.Id, deal))!.Stage, (await Deals.GetAsync(alice.Id, deal))!.Title));
    }

    [Fact]
    public async Task MyHistoryOfAPersonNeverShowsAnotherUsersMailToTheSameAddress()
    {
        var alice = await app.CreateUserAsync("history-alice@example.com");
        var mallory = await app.CreateUserAsync("history-mallory@example.com");
        var alicesBob = (await People.AddAsync(alice.Id, new PersonInput { Name = "Bob", Email = "bob@shared.example" })).Id!.Value;
        var mallorysBob = (await People.AddAsync(mallory.Id, new PersonInput { Name = "Bob", Email = "bob@shared.example" })).Id!.Value;
        var alicesDeal = (await Deals.AddAsync(alice.Id, new DealInput { Title = "Alice's deal", Currency = "EUR", PersonId = alicesBob })).Id!.Value;
        await TestMail.SendAsync(app, alice, to: "bob@shared.example", subject: "From Alice");

        // Mallory tries to file her mail under Alice's person and deal: the links are dropped.
        var sneaky = await app.Service<OutboxService>().QueueAsync(mallory.Id, new ComposeRequest
        {
            To = "bob@shared.example",
            Subject = "From Mallory",
            HtmlBody = "<p>Hi</p>",
            PersonId = alicesBob,
            DealId = alicesDeal,
        });

        var history = app.Service<EmailHistory>();
        Assert.Equal(["From Alice"], (await history.ForPersonAsync(alice.Id, alicesBob)).Items.Select(i => i.Subject));
        Assert.Empty((await history.ForDealAsync(alice.Id, alicesDeal)).Items);
        Assert.Equal(["From Mallory"], (await history.ForPersonAsync(mallory.Id, mallorysBob)).Items.Select(i => i.Subject));
        Assert.Empty((await history.ForPersonAsync(mallory.Id, alicesBob)).Items);
        await using var db = await app.DbAsync();
        var message = await db.Messages.SingleAsync(m => m.Id == sneaky.MessageId);
        Assert.Equal((null, null), (message.PersonId, message.DealId));
    }

    [Fact]
    public async Task TwoPeopleOfOneUserCannotShareAnAddress()
    {
        var rep = await app.CreateUserAsync("unique-rep@example.com");
        await People.AddAsync(rep.Id, new PersonInput { Name = "Una", Email = "una@example.com" });

        var duplicate = await People.AddAsync(rep.Id, new PersonInput { Name = "Una again", Email = "Una@Example.com" });
        var inOthers = await People.AddAsync(rep.Id, new PersonInput { Name = "Other", Email = "other@example.com", OtherEmails = "x@example.com, una@example.com" });

        Assert.Equal(new ContactError(ContactField.Email, ContactErrorKind.AddressTaken, "una@example.com"), Assert.Single(duplicate.Errors));
        Assert.Equal(new ContactError(ContactField.OtherEmails, ContactErrorKind.AddressTaken, "una@example.com"), Assert.Single(inOthers.Errors));
    }

    [Fact]
    public async Task EditingAPersonKeepsTheAddressesThatStayAndReordersThem()
    {
        var rep = await app.CreateUserAsync("edit-rep@example.com");
        var id = (await People.AddAsync(rep.Id, new PersonInput { Name = "Vic", Email = "vic@work.example", OtherEmails = "vic@home.example" })).Id!.Value;

        var result = await People.UpdateAsync(rep.Id, id, new PersonInput { Name = "Vic V.", Email = "vic@home.example", OtherEmails = "vic@new.example", DoNotTrack = true });

        Assert.True(result.Succeeded, string.Join(", ", result.Errors));
        var vic = (await People.GetAsync(rep.Id, id))!;
        Assert.Equal(["vic@home.example", "vic@new.example"], vic.Emails);
        Assert.True(vic.DoNotTrack);
        await using var db = await app.DbAsync();
        Assert.Equal(2, await db.PersonEmails.CountAsync(e => e.PersonId == id));
    }

    [Fact]
    public async Task DeletingAPersonKeepsTheirDealsAndMailAndDeletingADealKeepsItsMail()
    {
        var rep = await app.CreateUserAsync("delete-rep@example.com");
        var person = (await People.AddAsync(rep.Id, new PersonInput { Name = "Leaving Lou", Email = "lou@example.com" })).Id!.Value;
        var deal = (await Deals.AddAsync(rep.Id, new DealInput { Title = "Lou's deal", Currency = "PLN", PersonId = person })).Id!.Value;
        var mail = await app.Service<OutboxService>().QueueAsync(rep.Id, new ComposeRequest
        {
            To = "lou@example.com", Subject = "For Lou", HtmlBody = "<p>Hi</p>", PersonId = person, DealId = deal,
        });

        Assert.True(await Deals.MoveAsync(rep.Id, deal, DealStage.Won));
        Assert.True(await People.DeleteAsync(rep.Id, person));

        var kept = await Deals.GetAsync(rep.Id, deal);
        Assert.Equal((DealStage.Won, null), (kept!.Stage, kept.Person));
        Assert.Equal(["For Lou"], (await app.Service<EmailHistory>().ForDealAsync(rep.Id, deal)).Items.Select(i => i.Subject));

        Assert.True(await Deals.DeleteAsync(rep.Id, deal));
        await using var db = await app.DbAsync();
        var message = await db.Messages.SingleAsync(m => m.Id == mail.MessageId);
        Assert.Equal((null, null), (message.PersonId, message.DealId));
    }
}
