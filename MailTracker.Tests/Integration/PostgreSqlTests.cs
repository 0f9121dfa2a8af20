using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Integration;

/// <summary>The app on a real PostgreSQL: its own migrations, the tracking writer's SQL, search, and two instances sharing it.</summary>
public sealed class PostgreSqlTests(PostgresServer postgres, RedisServer redis) : IClassFixture<PostgresServer>, IClassFixture<RedisServer>
{
    [Fact]
    public async Task TrackedMailIsSentOpenedClickedAndFoundOnPostgreSql()
    {
        await using var app = new MailTrackerApp()
            .Set("Database:Provider", "PostgreSql")
            .Set("Database:ConnectionString", await postgres.CreateDatabaseAsync());
        var sender = await app.CreateUserAsync("pg@example.com");
        var mail = await TestMail.SendAsync(app, sender, subject: "Quarterly pricing",
            html: "<p>Hi Bob, the <b>Zanzibar</b> plan is on our <a href=\"" + TestMail.PricingUrl + "\">pricing page</a>.</p>");

        using var recipient = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        recipient.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
        var pixel = await recipient.GetAsync($"/t/o/{mail.OpenToken}.gif");
        var click = await recipient.GetAsync($"/t/c/{mail.ClickTokens[0]}");
        var tampered = await recipient.GetAsync($"/t/c/{mail.ClickTokens[0][..^2]}xx");

        Assert.Equal("image/gif", pixel.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TestMail.PricingUrl, click.Headers.Location!.OriginalString);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, tampered.StatusCode);
        await app.ProjectedAsync();
        await using (var db = await app.DbAsync())
        {
            Assert.True(db.Database.IsNpgsql());
            var message = await db.Messages.AsNoTracking().SingleAsync(m => m.Id == mail.MessageId);
            Assert.Equal((1, 1), (message.OpenCount, message.ClickCount));
            Assert.Equal(DateTimeKind.Utc, message.FirstOpenedAt!.Value.Kind);
            Assert.Equal(2, await db.TrackingEvents.CountAsync(e => e.MessageId == mail.MessageId));
            Assert.Equal(2, await db.Notifications.CountAsync(n => n.UserId == sender.Id && n.MessageId == mail.MessageId));
        }

        var queries = app.Service<MailboxQueries>();
        var found = await queries.ListAsync(sender.Id, new MailListQuery { Folder = MailFolder.Sent, Search = "zanzibar" });
        Assert.Equal(mail.MessageId, Assert.Single(found.Items).Id);
        Assert.Empty((await queries.ListAsync(sender.Id, new MailListQuery { Folder = MailFolder.Sent, Search = "zanzibarr" })).Items);
        Assert.Single((await queries.ListAsync(sender.Id, new MailListQuery { Folder = MailFolder.Sent, Opened = true, Clicked = true })).Items);

        // Insights group by hour on PostgreSQL too, in a time zone half an hour off UTC, and agree with the Mail tab.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");
        var overview = await app.Service<MailTracker.Core.Insights.InsightsQueries>().OverviewAsync(
            sender.Id, new MailTracker.Core.Insights.InsightsQuery(today.AddDays(-1), today.AddDays(1), MailTracker.Core.Insights.InsightsInterval.Day, kolkata));
        Assert.NotNull(overview);
        Assert.Equal((1, 1, 1), (overview.Total.Sent, overview.Total.Opened, overview.Total.Clicked));
        var sentLocal = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, kolkata));
        Assert.Equal(1, Assert.Single(overview.Points, p => p.Sent > 0).Sent);
        Assert.Equal(sentLocal, overview.Points.Single(p => p.Sent > 0).Start);
        var rows = await app.Service<MailTracker.Core.Insights.InsightsQueries>().MessagesAsync(
            sender.Id, new MailTracker.Core.Insights.InsightsMessagesQuery(new MailTracker.Core.Insights.InsightsQuery(today.AddDays(-1), today.AddDays(1), MailTracker.Core.Insights.InsightsInterval.Day, kolkata)));
        Assert.Equal("Quarterly pricing", Assert.Single(rows.Items).Subject);
    }

    [Fact]
    public async Task MailTrackedPerRecipientOnPostgreSqlSaysWhoOpened()
    {
        await using var app = new MailTrackerApp()
            .Set("Database:Provider", "PostgreSql")
            .Set("Database:ConnectionString", await postgres.CreateDatabaseAsync());
        var sender = await app.CreateUserAsync("pg-each@example.com");
        var queued = await app.Service<OutboxService>().QueueAsync(sender.Id, new ComposeRequest
        {
            To = "anna@client.test, bob@client.test", Subject = "Each", HtmlBody = "<p>Hello</p>", OpenTracking = true, TrackEachRecipient = true,
        });
        var id = queued.MessageId!.Value;
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await app.DbAsync();
            return await db.Messages.AnyAsync(m => m.Id == id && m.Status == MessageStatus.Sent);
        }, "both copies to be sent");
        string annasToken;
        await using (var db = await app.DbAsync())
        {
            Assert.Equal(2, await db.SandboxDeliveries.CountAsync(d => d.Subject == "Each"));
            annasToken = await db.TrackingTokens.Where(t => t.MessageId == id && t.Recipient == "anna@client.test").Select(t => t.Token).SingleAsync();
        }

        using var anna = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        anna.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
        (await anna.GetAsync($"/t/o/{annasToken}.gif")).EnsureSuccessStatusCode();
        await app.ProjectedAsync();

        var queries = app.Service<MailboxQueries>();
        var row = Assert.Single((await queries.ListAsync(sender.Id, new MailListQuery { Folder = MailFolder.Sent })).Items);
        Assert.Equal("anna@client.test", Assert.Single(row.Openers).Address);
        var recipients = (await queries.GetAsync(sender.Id, id))!.Recipients;
        Assert.Equal([1, 0], recipients.Select(r => r.OpenCount));
        Assert.All(recipients, r => Assert.Equal(DeliveryState.Sent, r.State));
    }

    [Fact]
    public async Task RepeatOpensOnPostgreSqlBumpOneBellEntryOnEitherInstanceAndMakeItUnreadAgain()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var instanceA = new MailTrackerApp().Set("Database:Provider", "PostgreSql").Set("Database:ConnectionString", database);
        await using var instanceB = new MailTrackerApp().Set("Database:Provider", "PostgreSql").Set("Database:ConnectionString", database);
        var sender = await instanceA.CreateUserAsync("pg-bell@example.com");
        var mail = await TestMail.SendAsync(instanceA, sender, subject: "Opened again and again");

        await OpenAsync(instanceA, mail);
        await OpenAsync(instanceA, mail);
        var entry = Assert.Single(await NotificationsAsync(instanceA, mail.MessageId));
        Assert.Equal((2, false), (entry.Count, entry.IsRead));

        await using (var db = await instanceA.DbAsync())
        {
            await db.Notifications.Where(n => n.Id == entry.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.IsRead, true));
        }

        // Instance B has never written this entry: it finds it in the database rather than adding a second one.
        await OpenAsync(instanceB.Start(), mail);
        entry = Assert.Single(await NotificationsAsync(instanceA, mail.MessageId));
        Assert.Equal((3, false), (entry.Count, entry.IsRead));
        await using (var db = await instanceA.DbAsync())
        {
            Assert.Equal(3, (await db.Messages.AsNoTracking().SingleAsync(m => m.Id == mail.MessageId)).OpenCount);
            Assert.Equal(3, await db.TrackingEvents.CountAsync(e => e.MessageId == mail.MessageId));
        }
    }

    private static async Task OpenAsync(MailTrackerApp app, SentMail mail)
    {
        using var recipient = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        recipient.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
        (await recipient.GetAsync($"/t/o/{mail.OpenToken}.gif")).EnsureSuccessStatusCode();
        await app.ProjectedAsync();
    }

    private static async Task<List<Notification>> NotificationsAsync(MailTrackerApp app, long messageId)
    {
        await using var db = await app.DbAsync();
        return await db.Notifications.AsNoTracking().Where(n => n.MessageId == messageId).ToListAsync();
    }

    [Fact]
    public async Task TwoInstancesShareOnePostgreSqlDatabaseAndAHitOnOneRingsTheBellOnTheOther()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var instanceA = new MailTrackerApp().Set("Database:Provider", "PostgreSql").Set("Database:ConnectionString", database)
            .Set("SignalR:Redis", redis.ConnectionString);
        await using var instanceB = new MailTrackerApp().Set("Database:Provider", "PostgreSql").Set("Database:ConnectionString", database)
            .Set("SignalR:Redis", redis.ConnectionString);
        instanceA.Start();
        instanceB.Start();
        var sender = await instanceA.CreateUserAsync("pg-scale@example.com");
        var mail = await TestMail.SendAsync(instanceA, sender, subject: "Across instances on PostgreSQL");
        var (_, cookiesOnB) = await TestMail.SignInAsync(instanceB, "pg-scale@example.com");
        await using var hubOnB = await HubClient.ConnectAsync(instanceB.BaseUrl, cookiesOnB);

        using var recipient = new HttpClient { BaseAddress = new Uri(instanceA.BaseUrl) };
        recipient.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
        await recipient.GetAsync($"/t/o/{mail.OpenToken}.gif");

        var push = await Eventually.ReturnsAsync(() => Task.FromResult(hubOnB.Received.TryPeek(out var e) ? e : null), "the push through Redis to instance B");
        Assert.Equal(UserPushKinds.Tracking, push.Kind);
        Assert.Equal(mail.MessageId, push.MessageId);
        await using var db = await instanceB.DbAsync();
        Assert.Equal(1, (await db.Messages.AsNoTracking().SingleAsync(m => m.Id == mail.MessageId)).OpenCount);
    }
}
