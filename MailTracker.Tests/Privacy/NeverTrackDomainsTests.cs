using MailTracker.Core.Accounts;
using MailTracker.Core.Contacts;
using MailTracker.Core.Messages;
using MailTracker.Core.Privacy;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Privacy;

public sealed class NeverTrackDomainsTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    private WorkspacePrivacy Privacy => app.Service<WorkspacePrivacy>();

    [Fact]
    public async Task OnlyAdminsSetTheListAndABadEntrySavesNothing()
    {
        var admin = await app.CreateUserAsync("ntd-admin@example.com");
        var rep = await app.CreateUserAsync("ntd-rep@example.com", role: Roles.User);

        var refused = await Privacy.SetNeverTrackDomainsAsync(rep.Id, "rival.example");
        var invalid = await Privacy.SetNeverTrackDomainsAsync(admin.Id, "ok.example\nnot a domain");
        var saved = await Privacy.SetNeverTrackDomainsAsync(admin.Id, "Colleagues.EXAMPLE, @partner.example\nhttps://intra.example/");

        Assert.False(refused.Allowed);
        Assert.Equal(["not", "a", "domain"], invalid.Invalid);
        Assert.True(saved.Saved);
        Assert.Equal(["colleagues.example", "intra.example", "partner.example"], await Privacy.NeverTrackDomainsAsync());
    }

    [Fact]
    public async Task MailToANeverTrackDomainGoesOutUntrackedAndTheComposerSaysWhy()
    {
        var admin = await app.CreateUserAsync("ntd-sender@example.com");
        Assert.True((await Privacy.SetNeverTrackDomainsAsync(admin.Id, "colleagues.example")).Saved);

        var untracked = await app.Service<ContactBook>().UntrackedAmongAsync(admin.Id, ["client@customer.example, Kim <kim@sales.colleagues.example>"]);
        var result = await app.Service<OutboxService>().QueueAsync(admin.Id, new ComposeRequest
        {
            To = "client@customer.example",
            Cc = "Kim <kim@sales.colleagues.example>",
            Subject = "Internal copy",
            HtmlBody = "<p>See <a href=\"https://example.com/pricing\">pricing</a>.</p>",
            OpenTracking = true,
            LinkTracking = true,
        });
        var tracked = await TestMail.SendAsync(app, admin, to: "client@customer.example", subject: "Outside only");

        Assert.Equal(["kim@sales.colleagues.example"], untracked.NeverTrackDomain);
        Assert.True(result.Succeeded);
        await using var db = await app.DbAsync();
        var message = await db.Messages.SingleAsync(m => m.Id == result.MessageId);
        Assert.False(message.IsTracked);
        Assert.True(TrackingSuppression.IsNeverTrackDomain(message.TrackingSuppressedReason, out var who));
        Assert.Equal("kim@sales.colleagues.example", who);
        Assert.Empty(await db.TrackingTokens.Where(t => t.MessageId == message.Id).ToListAsync());
        Assert.NotNull(tracked.OpenToken);
    }

    [Fact]
    public async Task ForgettingAPersonClearsTheRawDataOfTheirHitsOnly()
    {
        var rep = await app.CreateUserAsync("ntd-forget@example.com");
        var people = app.Service<ContactBook>();
        var dana = await people.AddAsync(rep.Id, new PersonInput { Name = "Dana", Email = "dana@client.example", OtherEmails = "dana@home.example" });
        var toDana = await TestMail.SendAsync(app, rep, to: "dana@home.example", subject: "For Dana");
        var toEve = await TestMail.SendAsync(app, rep, to: "eve@client.example", subject: "For Eve");
        using (var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) })
        {
            client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
            await client.GetAsync($"/t/o/{toDana.OpenToken}.gif");
            await client.GetAsync($"/t/o/{toEve.OpenToken}.gif");
        }

        await app.ProjectedAsync();
        var other = await app.CreateUserAsync("ntd-stranger@example.com");

        Assert.False(await app.Service<RawTrackingData>().ForgetPersonAsync(other.Id, dana.Id!.Value));
        Assert.True(await app.Service<RawTrackingData>().ForgetPersonAsync(rep.Id, dana.Id!.Value));

        await using var db = await app.DbAsync();
        var danas = await db.TrackingEvents.SingleAsync(e => e.MessageId == toDana.MessageId);
        var eves = await db.TrackingEvents.SingleAsync(e => e.MessageId == toEve.MessageId);
        Assert.Equal((null, null), (danas.UserAgent, danas.IpAddress));
        Assert.True(danas.Counted);
        Assert.NotNull(eves.UserAgent);
    }
}
