using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Messages;

public sealed class OutboxTests : IAsyncLifetime
{
    private readonly MailTrackerApp _app = new MailTrackerApp().Set("Outbox:MaxAttempts", "3").Set("Outbox:RetryDelaySeconds", "1");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private async Task<(string UserId, long MessageId)> QueueAsync(string email, string to)
    {
        var user = await _app.CreateUserAsync(email);
        var result = await _app.Service<OutboxService>().QueueAsync(user.Id, new ComposeRequest { To = to, Subject = "Hello", HtmlBody = "<p>Hi</p>", OpenTracking = true });
        Assert.True(result.Succeeded);
        return (user.Id, result.MessageId!.Value);
    }

    private async Task<Message> WaitForAsync(long id, Func<Message, bool> condition, string what) =>
        await Eventually.ReturnsAsync(async () =>
        {
            await using var db = await _app.DbAsync();
            var message = await db.Messages.SingleAsync(m => m.Id == id);
            return condition(message) ? message : null;
        }, what);

    [Fact]
    public async Task APermanentRefusalStaysInTheOutboxAsFailedWithTheServersReason()
    {
        var (_, id) = await QueueAsync("perm@example.com", "nobody@reject.invalid");

        var failed = await WaitForAsync(id, m => m.Status == MessageStatus.Failed, "the message to fail");

        Assert.Equal(MailFolder.Outbox, failed.Folder);
        Assert.Equal(1, failed.Attempts);
        Assert.StartsWith("550 ", failed.LastError);
        Assert.Contains("nobody@reject.invalid", failed.LastError);
        await using var db = await _app.DbAsync();
        Assert.False(await db.SandboxDeliveries.AnyAsync(d => d.EnvelopeTo.Contains("reject.invalid")));
    }

    [Fact]
    public async Task ATransientFailureIsRetriedWithItsReasonShownThenGivenUpOn()
    {
        var (_, id) = await QueueAsync("transient@example.com", "later@defer.invalid");

        var waiting = await WaitForAsync(id, m => m.Status == MessageStatus.Queued && m.Attempts >= 1, "a first failed attempt");
        Assert.StartsWith("451 ", waiting.LastError);
        Assert.NotNull(waiting.NextAttemptAt);

        var failed = await WaitForAsync(id, m => m.Status == MessageStatus.Failed, "the retries to run out");
        Assert.Equal(3, failed.Attempts);
        Assert.StartsWith("Gave up after 3 attempts. Last error: 451 ", failed.LastError);
        Assert.Equal(MailFolder.Outbox, failed.Folder);
    }

    [Fact]
    public async Task RetryAndCancelAreTheSendersAloneAndLoseNothing()
    {
        var (userId, id) = await QueueAsync("retry@example.com", "nobody@reject.invalid");
        var other = await _app.CreateUserAsync("not-the-owner@example.com");
        await WaitForAsync(id, m => m.Status == MessageStatus.Failed, "the message to fail");
        var outbox = _app.Service<OutboxService>();

        Assert.False(await outbox.RetryAsync(other.Id, id));
        Assert.False(await outbox.CancelAsync(other.Id, id));

        Assert.True(await outbox.RetryAsync(userId, id));
        await WaitForAsync(id, m => m.Status == MessageStatus.Failed && m.Attempts == 2, "the retry to fail again");

        Assert.True(await outbox.CancelAsync(userId, id));
        var cancelled = await WaitForAsync(id, m => m.Folder == MailFolder.Drafts, "the message to move to Drafts");
        Assert.Equal(MessageStatus.Draft, cancelled.Status);
        Assert.Equal("<p>Hi</p>", cancelled.HtmlBody);
    }

    [Fact]
    public async Task AMessageInterruptedMidSendIsQueuedAgainOnRestart()
    {
        var (_, id) = await QueueAsync("restart@example.com", "bob@example.com");
        await WaitForAsync(id, m => m.Status == MessageStatus.Sent, "the message to be sent");
        await using (var db = await _app.DbAsync())
        {
            // As if the app died between claiming a message and recording the outcome.
            await db.Messages.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Sending).SetProperty(m => m.Folder, MailFolder.Outbox));
        }

        await _app.Service<OutboxProcessor>().RequeueLapsedAsync(CancellationToken.None);

        var again = await WaitForAsync(id, m => m.Status == MessageStatus.Sent, "the message to be sent again");
        Assert.Equal(MailFolder.Sent, again.Folder);
    }

    [Theory]
    [InlineData("", ComposeField.To, ComposeErrorKind.Required)]
    [InlineData("bob@", ComposeField.To, ComposeErrorKind.InvalidAddress)]
    [InlineData("bob@example.com, not an address", ComposeField.To, ComposeErrorKind.InvalidAddress)]
    public async Task AMalformedAddressIsRejectedAndNothingIsQueued(string to, ComposeField field, ComposeErrorKind kind)
    {
        var user = await _app.CreateUserAsync($"bad-{Guid.NewGuid():N}@example.com");

        var result = await _app.Service<OutboxService>().QueueAsync(user.Id, new ComposeRequest { To = to, Subject = "Hi", HtmlBody = "<p>x</p>" });

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Field == field && e.Kind == kind);
        await using var db = await _app.DbAsync();
        Assert.False(await db.Messages.AnyAsync(m => m.OwnerId == user.Id));
    }

    [Fact]
    public async Task PlainTextMailGoesOutWithoutHtmlAndWithoutTracking()
    {
        var user = await _app.CreateUserAsync("plain@example.com");

        var result = await _app.Service<OutboxService>().QueueAsync(user.Id, new ComposeRequest
        {
            To = "bob@example.com", Subject = "Plain", HtmlBody = "<p>Just <b>text</b></p>", PlainTextOnly = true, OpenTracking = true, LinkTracking = true,
        });
        var sent = await WaitForAsync(result.MessageId!.Value, m => m.Status == MessageStatus.Sent, "the plain mail to be sent");

        Assert.False(sent.IsTracked);
        await using var db = await _app.DbAsync();
        var delivery = await db.SandboxDeliveries.SingleAsync(d => d.Subject == "Plain");
        var mime = MimeKit.MimeMessage.Load(new MemoryStream(delivery.Raw));
        Assert.Null(mime.HtmlBody);
        Assert.Equal("Just text", mime.TextBody?.Trim());
        Assert.False(await db.TrackingTokens.AnyAsync(t => t.MessageId == sent.Id));
    }
}
