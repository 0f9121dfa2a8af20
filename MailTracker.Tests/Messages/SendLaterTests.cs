using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace MailTracker.Tests.Messages;

/// <summary>Send later against the real outbox, sandbox SMTP server and SQLite file, with a fake clock.</summary>
public sealed class SendLaterTests : IAsyncLifetime
{
    // 27 Nov 2026, 12:00 UTC is 07:00 in New York (EST, UTC−5).
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private readonly MailTrackerApp _app = new();

    public Task InitializeAsync()
    {
        _app.UseClock(_clock);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private async Task<string> CreateNewYorkerAsync(string email)
    {
        var user = await _app.CreateUserAsync(email);
        await using var db = await _app.DbAsync();
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZoneId, "America/New_York"));
        return user.Id;
    }

    private async Task<Message> MessageAsync(long id)
    {
        await using var db = await _app.DbAsync();
        return await db.Messages.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    private async Task<int> DeliveriesAsync(string subject)
    {
        await using var db = await _app.DbAsync();
        return await db.SandboxDeliveries.CountAsync(d => d.Subject == subject);
    }

    [Fact]
    public async Task AScheduledMessageIsNotSentEarlyAndGoesOutTrackedAtItsTimeInTheSendersZone()
    {
        var userId = await CreateNewYorkerAsync("later@example.com");
        var result = await _app.Service<OutboxService>().QueueAsync(userId, new ComposeRequest
        {
            To = "bob@example.com", Subject = "Monday pitch", HtmlBody = "<p>Hi, see <a href=\"https://example.com/deck\">the deck</a></p>",
            OpenTracking = true, LinkTracking = true, SendAtLocal = new DateTime(2026, 11, 27, 9, 0, 0),
        });
        Assert.True(result.Succeeded, string.Join(", ", result.Errors));
        var id = result.MessageId!.Value;

        // 09:00 in New York is 14:00 UTC: a pass now and one a second before leave it waiting in the Outbox.
        var processor = _app.Service<OutboxProcessor>();
        Assert.Equal(new DateTime(2026, 11, 27, 14, 0, 0, DateTimeKind.Utc), await processor.SendDueAsync(CancellationToken.None));
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 13, 59, 59, TimeSpan.Zero));
        await processor.SendDueAsync(CancellationToken.None);
        var waiting = await MessageAsync(id);
        Assert.Equal((MailFolder.Outbox, MessageStatus.Queued, 0), (waiting.Folder, waiting.Status, waiting.Attempts));
        Assert.Equal(new DateTime(2026, 11, 27, 14, 0, 0, DateTimeKind.Utc), waiting.ScheduledFor);
        var row = (await _app.Service<MailboxQueries>().ListAsync(userId, new MailListQuery { Folder = MailFolder.Outbox })).Items.Single();
        Assert.Equal(waiting.ScheduledFor, row.ScheduledFor);
        Assert.Equal(0, await DeliveriesAsync("Monday pitch"));

        // At its time the outbox worker (or this pass, whichever claims it) sends it.
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 14, 0, 0, TimeSpan.Zero));
        await processor.SendDueAsync(CancellationToken.None);

        var sent = await Eventually.ReturnsAsync(async () => await MessageAsync(id) is { Status: MessageStatus.Sent } m ? m : null, "the message to be sent");
        Assert.Equal((MailFolder.Sent, MessageStatus.Sent), (sent.Folder, sent.Status));
        Assert.Equal(new DateTime(2026, 11, 27, 14, 0, 0, DateTimeKind.Utc), sent.SentAt);
        await using var db = await _app.DbAsync();
        var delivery = await db.SandboxDeliveries.SingleAsync(d => d.Subject == "Monday pitch");
        var html = MimeKit.MimeMessage.Load(new MemoryStream(delivery.Raw)).HtmlBody;
        Assert.Contains("/t/o/", html);
        Assert.Contains("/t/c/", html);
    }

    [Fact]
    public async Task AScheduledMessageCanBeCancelledUntilItsTimeAndRetryNeverSendsItEarly()
    {
        var userId = await CreateNewYorkerAsync("cancel-later@example.com");
        var outbox = _app.Service<OutboxService>();
        var result = await outbox.QueueAsync(userId, new ComposeRequest
        {
            To = "bob@example.com", Subject = "Not yet", HtmlBody = "<p>Hi</p>", SendAtLocal = new DateTime(2026, 11, 28, 9, 0, 0),
        });
        var id = result.MessageId!.Value;

        Assert.True(await outbox.RetryAsync(userId, id));
        await _app.Service<OutboxProcessor>().SendDueAsync(CancellationToken.None);
        Assert.Equal(MessageStatus.Queued, (await MessageAsync(id)).Status);

        Assert.True(await outbox.CancelAsync(userId, id));
        _clock.Advance(TimeSpan.FromDays(2));
        await _app.Service<OutboxProcessor>().SendDueAsync(CancellationToken.None);
        Assert.Equal((MailFolder.Drafts, MessageStatus.Draft), ((await MessageAsync(id)).Folder, (await MessageAsync(id)).Status));
        Assert.Equal(0, await DeliveriesAsync("Not yet"));
    }

    [Fact]
    public async Task ATimeInThePastIsRefusedAndNothingIsQueued()
    {
        var userId = await CreateNewYorkerAsync("past@example.com");

        var result = await _app.Service<OutboxService>().QueueAsync(userId, new ComposeRequest
        {
            To = "bob@example.com", Subject = "Too late", HtmlBody = "<p>Hi</p>", SendAtLocal = new DateTime(2026, 11, 27, 6, 59, 0),
        });

        Assert.Contains(result.Errors, e => e is { Field: ComposeField.SendAt, Kind: ComposeErrorKind.NotInFuture });
        await using var db = await _app.DbAsync();
        Assert.False(await db.Messages.AnyAsync(m => m.OwnerId == userId));
    }
}
