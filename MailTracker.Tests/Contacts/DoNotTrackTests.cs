using MailTracker.Core.Contacts;
using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Contacts;

public sealed class DoNotTrackTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    [Fact]
    public async Task MailToADoNotTrackPersonGoesOutWithNoPixelAndOriginalLinksWhateverTheToggles()
    {
        var rep = await app.CreateUserAsync("dnt-rep@example.com");
        var people = app.Service<ContactBook>();
        await people.AddAsync(rep.Id, new PersonInput { Name = "Private Pat", Email = "pat@example.com", OtherEmails = "pat@home.example", DoNotTrack = true });

        // Pat is only in Bcc, under their second address: still mail to Pat.
        var result = await app.Service<OutboxService>().QueueAsync(rep.Id, new ComposeRequest
        {
            To = "team@example.com",
            Bcc = "PAT@home.example",
            Subject = "Private pricing",
            HtmlBody = "<p>See <a href=\"https://example.com/pricing\">pricing</a>.</p>",
            OpenTracking = true,
            LinkTracking = true,
        });
        Assert.True(result.Succeeded);

        var delivery = await Eventually.ReturnsAsync(async () =>
        {
            await using var db = await app.DbAsync();
            return await db.SandboxDeliveries.FirstOrDefaultAsync(d => d.Subject == "Private pricing");
        }, "the mail to be delivered");
        await using var context = await app.DbAsync();
        var message = await context.Messages.SingleAsync(m => m.Id == result.MessageId);
        var html = MimeKit.MimeMessage.Load(new MemoryStream(delivery.Raw)).HtmlBody;
        Assert.False(message.OpenTracking);
        Assert.False(message.LinkTracking);
        Assert.False(message.IsTracked);
        Assert.True(TrackingSuppression.IsDoNotTrack(message.TrackingSuppressedReason, out var who));
        Assert.Equal("pat@home.example", who);
        Assert.Empty(await context.TrackingTokens.Where(t => t.MessageId == message.Id).ToListAsync());
        Assert.DoesNotContain("/t/o/", html);
        Assert.DoesNotContain("/t/c/", html);
        Assert.Contains("href=\"https://example.com/pricing\"", html);
    }

    [Fact]
    public async Task AnotherUsersDoNotTrackPersonDoesNotStopMyTracking()
    {
        var owner = await app.CreateUserAsync("dnt-owner@example.com");
        var other = await app.CreateUserAsync("dnt-other@example.com");
        await app.Service<ContactBook>().AddAsync(owner.Id, new PersonInput { Name = "Quinn", Email = "quinn@example.com", DoNotTrack = true });

        var mail = await TestMail.SendAsync(app, other, to: "quinn@example.com", subject: "Tracked for me");

        Assert.NotNull(mail.OpenToken);
        Assert.Single(mail.ClickTokens);
    }

    [Fact]
    public async Task TheComposerIsToldWhichRecipientsAreDoNotTrackEvenWhileAListIsHalfTyped()
    {
        var rep = await app.CreateUserAsync("dnt-notice@example.com");
        var people = app.Service<ContactBook>();
        var pat = (await people.AddAsync(rep.Id, new PersonInput { Name = "Pat", Email = "pat@example.com", DoNotTrack = true })).Id!.Value;
        await people.AddAsync(rep.Id, new PersonInput { Name = "Tracked Tim", Email = "tim@example.com" });

        var found = await people.DoNotTrackAmongAsync(rep.Id, ["tim@example.com, Pat@Example.com, half@", "", "someone@"]);

        Assert.Equal([new PersonOption(pat, "Pat", "pat@example.com")], found);
        Assert.Empty(await people.DoNotTrackAmongAsync(rep.Id, ["tim@example.com"]));
    }
}
