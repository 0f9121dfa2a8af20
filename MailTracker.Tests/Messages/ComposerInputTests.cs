using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Messages;

/// <summary>
/// What the composer hands the outbox: odd but valid addresses go out, invalid ones are refused naming the bad one,
/// a 5 MB body goes out whole while one past the limit is refused, and hostile HTML is neither kept nor sent — what
/// the recipient gets is what the sender's copy shows.
/// </summary>
public sealed class ComposerInputTests : IAsyncLifetime
{
    private readonly MailTrackerApp _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("\"O'Brien, Pat\" <pat.o'brien+sales@sub.example.co.uk>", "pat.o'brien+sales@sub.example.co.uk")]
    [InlineData("UPPER.Case@Example.COM", "UPPER.Case@Example.COM")]
    [InlineData("\"Smith; J.\" <j_smith-2@example.io>", "j_smith-2@example.io")]
    [InlineData("  spaced@example.com ;  ", "spaced@example.com")]
    public async Task AnOddButValidAddressIsSentToExactlyThatMailbox(string to, string envelope)
    {
        var user = await _app.CreateUserAsync($"odd-{Guid.NewGuid():N}@example.com");

        var result = await _app.Service<OutboxService>().QueueAsync(user.Id, new ComposeRequest { To = to, Subject = "Odd", HtmlBody = "<p>Hi</p>" });

        Assert.True(result.Succeeded, string.Join(", ", result.Errors));
        var delivery = await DeliveryAsync(result.MessageId!.Value);
        Assert.Equal(envelope, delivery.EnvelopeTo, ignoreCase: true);
    }

    [Theory]
    [InlineData("bob@example..com")]
    [InlineData("bob smith@example.com")]
    [InlineData("bob@exa mple.com")]
    [InlineData("good@example.com; bob@")]
    public async Task AnInvalidAddressIsRefusedNamingItAndNothingIsQueued(string to)
    {
        var user = await _app.CreateUserAsync($"bad-{Guid.NewGuid():N}@example.com");

        var result = await _app.Service<OutboxService>().QueueAsync(user.Id, new ComposeRequest { To = to, Subject = "Bad", HtmlBody = "<p>x</p>" });

        var error = Assert.Single(result.Errors);
        Assert.Equal((ComposeField.To, ComposeErrorKind.InvalidAddress), (error.Field, error.Kind));
        Assert.False(string.IsNullOrWhiteSpace(error.Value));
        Assert.Contains(error.Value!.Trim(), to);
        await using var db = await _app.DbAsync();
        Assert.False(await db.Messages.AnyAsync(m => m.OwnerId == user.Id));
    }

    [Fact]
    public async Task AFiveMegabyteBodyIsSentWholeAndOnePastTheLimitIsRefused()
    {
        var user = await _app.CreateUserAsync("large@example.com");
        var paragraph = "<p>" + new string('x', 1000) + "</p>";
        var fiveMegabytes = string.Concat(Enumerable.Repeat(paragraph, 5 * 1024 * 1024 / paragraph.Length)) + "<p>THE-END</p>";

        var sent = await _app.Service<OutboxService>().QueueAsync(user.Id, new ComposeRequest { To = "big@example.com", Subject = "Large", HtmlBody = fiveMegabytes });
        var tooLarge = await _app.Service<OutboxService>().QueueAsync(user.Id, new ComposeRequest
        {
            To = "big@example.com", Subject = "Too large", HtmlBody = fiveMegabytes + fiveMegabytes + fiveMegabytes,
        });

        Assert.True(sent.Succeeded);
        var delivery = await DeliveryAsync(sent.MessageId!.Value);
        var mime = MimeKit.MimeMessage.Load(new MemoryStream(delivery.Raw));
        Assert.EndsWith("<p>THE-END</p>", mime.HtmlBody!.TrimEnd());
        Assert.True(mime.HtmlBody.Length >= 5 * 1000 * 1000);
        Assert.Equal(new ComposeError(ComposeField.Message, ComposeErrorKind.TooLarge, "10 MB"), Assert.Single(tooLarge.Errors));
        await using var db = await _app.DbAsync();
        Assert.False(await db.Messages.AnyAsync(m => m.Subject == "Too large"));
    }

    [Fact]
    public async Task HostileHtmlIsNeitherKeptNorSentAndTheRecipientGetsWhatTheSenderSees()
    {
        var user = await _app.CreateUserAsync("hostile@example.com");
        const string hostile = """
            <p>Visible offer</p>
            <script>alert('x')</script>
            <img src="x" onerror="alert('onerror')" alt="pic">
            <a href="javascript:alert('link')">Bad link</a>
            <iframe src="https://evil.example/"></iframe>
            <form action="https://evil.example/"><input name="q"></form>
            <svg onload="alert('svg')"></svg>
            <p style="background:url(javascript:alert(1))">Styled</p>
            """;

        var result = await _app.Service<OutboxService>().QueueAsync(user.Id, new ComposeRequest { To = "victim@example.com", Subject = "Hostile", HtmlBody = hostile });

        Assert.True(result.Succeeded);
        var delivery = await DeliveryAsync(result.MessageId!.Value);
        var sentHtml = MimeKit.MimeMessage.Load(new MemoryStream(delivery.Raw)).HtmlBody!;
        await using var db = await _app.DbAsync();
        var kept = (await db.Messages.SingleAsync(m => m.Id == result.MessageId)).HtmlBody!;
        foreach (var html in new[] { kept, sentHtml })
        {
            Assert.Contains("Visible offer", html);
            Assert.Contains("Styled", html);
            foreach (var bad in new[] { "<script", "onerror", "javascript:", "<iframe", "<form", "<input", "onload", "alert(" })
            {
                Assert.DoesNotContain(bad, html, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    private async Task<Core.Sandbox.SandboxDelivery> DeliveryAsync(long messageId)
    {
        var header = await Eventually.ReturnsAsync(async () =>
        {
            await using var db = await _app.DbAsync();
            var message = await db.Messages.AsNoTracking().SingleAsync(m => m.Id == messageId);
            return message.Status == MessageStatus.Sent ? message.MessageIdHeader : null;
        }, "the message to be sent");
        return await Eventually.ReturnsAsync(async () =>
        {
            await using var db = await _app.DbAsync();
            return (await db.SandboxDeliveries.AsNoTracking().ToListAsync())
                .SingleOrDefault(d => MimeKit.MimeMessage.Load(new MemoryStream(d.Raw)).MessageId == header);
        }, "the delivery");
    }
}
