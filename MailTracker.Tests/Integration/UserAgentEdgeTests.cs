using System.Text;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Integration;

/// <summary>
/// A user agent longer than the stored 512 characters, cut where an emoji's two UTF-16 halves meet: what is kept is
/// still text PostgreSQL accepts, so neither the crafted hit nor the other hits committed in the same group are lost.
/// </summary>
public sealed class UserAgentEdgeTests(PostgresServer postgres) : IClassFixture<PostgresServer>
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

    private static HttpClient Client(MailTrackerApp app, string userAgent)
    {
        var client = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 }) { BaseAddress = new Uri(app.Start().BaseUrl) };
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        return client;
    }
}
