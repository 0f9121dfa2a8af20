using System.Text;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Integration;

/// <summary>
/// Text the app cuts to a stored length (a user agent, a message's snippet) cut where an emoji's two UTF-16 halves meet:
/// what is kept is still text PostgreSQL's driver accepts, so nothing that shares its transaction is lost with it.
/// </summary>
public sealed class CutTextOnPostgreSqlTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task AnOverlongAgentCutInsideAnEmojiIsStoredAndLosesNobodysHitsOnPostgreSql()
    {
        await using var app = new MailTrackerApp()
            .Set("Database:Provider", "PostgreSql")
            .Set("Database:ConnectionString", await postgres.CreateDatabaseAsync());
        var sender = await app.CreateUserAsync("agent-edge@example.com");
        var mail = await TestMail.SendAsync(app, sender);
        var crafted = "Mozilla/5.0 (" + new string('x', 511 - 13) + "😀😀 Thunderbird/128.0)";
        Assert.True(char.IsHighSurrogate(crafted[511]));

        using var attacker = Client(app, crafted);
        using var reader = Client(app, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.0");
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? attacker : reader).GetAsync($"/t/o/{mail.OpenToken}.gif")));

        Assert.All(answers, a => Assert.Equal("image/gif", a.Content.Headers.ContentType!.MediaType));
        await app.ProjectedAsync();
        await using var db = await app.DbAsync();
        var agents = await db.TrackingEvents.Where(e => e.MessageId == mail.MessageId).Select(e => e.UserAgent!).ToListAsync();
        Assert.Equal(20, agents.Count);
        Assert.Equal(10, agents.Count(a => a.StartsWith("Mozilla/5.0 (xxx", StringComparison.Ordinal)));
        Assert.All(agents, a => Assert.True(a.Length <= 512 && !char.IsHighSurrogate(a[^1])));
    }

    [Fact]
    public async Task AMessageWhoseSnippetEndsInsideAnEmojiIsQueuedSentAndFoundOnPostgreSql()
    {
        await using var app = new MailTrackerApp()
            .Set("Database:Provider", "PostgreSql")
            .Set("Database:ConnectionString", await postgres.CreateDatabaseAsync());
        var sender = await app.CreateUserAsync("snippet-edge@example.com");
        var body = new string('a', 199) + "🎉 party on Friday";

        var mail = await TestMail.SendAsync(app, sender, subject: "Party", html: $"<p>{body}</p>");

        await using var db = await app.DbAsync();
        var message = await db.Messages.AsNoTracking().SingleAsync(m => m.Id == mail.MessageId);
        Assert.Equal(new string('a', 199), message.Snippet);
        var found = await app.Service<MailTracker.Core.Messages.MailboxQueries>().ListAsync(sender.Id,
            new MailTracker.Core.Messages.MailListQuery { Folder = MailTracker.Core.Messages.MailFolder.Sent, Search = "party" });
        Assert.Equal(mail.MessageId, Assert.Single(found.Items).Id);
    }

    private static HttpClient Client(MailTrackerApp app, string userAgent)
    {
        var client = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 }) { BaseAddress = new Uri(app.Start().BaseUrl) };
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        return client;
    }
}

/// <summary>Received mail is cut the same way: a crafted subject or reference cannot make its sync fail on PostgreSQL.</summary>
public class InboundCutTextTests
{
    [Fact]
    public void ASubjectAndAReferenceCutInsideAnEmojiKeepNoHalfOfIt()
    {
        var mime = new MimeKit.MimeMessage { Subject = new string('s', 999) + "🎉 tail" };
        mime.From.Add(new MimeKit.MailboxAddress("Eve", "eve@example.com"));
        mime.References.Add(new string('r', 997) + "🎉@example.com");
        mime.Body = new MimeKit.TextPart("plain") { Text = "hello" };

        var read = MailTracker.Core.Sync.InboundMailReader.Read(mime, 1, false, null);

        Assert.Equal(new string('s', 999), read.Subject);
        Assert.All(read.References, r => Assert.False(char.IsHighSurrogate(r[^1])));
    }
}
