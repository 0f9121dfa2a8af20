using MailTracker.Core.Accounts;
using MailTracker.Tests.Infrastructure;

namespace MailTracker.Tests.Operations;

/// <summary>What MailTracker logs names the message and the user as structured fields, and never a password, a tracking token or a mail body.</summary>
public sealed class StructuredLogTests
{
    [Fact]
    public async Task ASendCarriesMessageAndUserIdAndNoSecretsReachTheLog()
    {
        await using var app = new MailTrackerApp();
        var logs = app.CaptureLogs();
        var user = await app.CreateUserAsync("logs@example.com", role: Roles.User);
        await TestMail.SignInAsync(app, "logs@example.com");
        await SignInForm.PostAsync(SignInForm.NewClient(app), "logs@example.com", "Wrong-Pa55word!");
        var mail = await TestMail.SendAsync(app, user, subject: "Logged send",
            html: $"<p>Confidential-body-text on our <a href=\"{TestMail.PricingUrl}\">pricing page</a>.</p>");
        using (var recipient = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) })
        {
            (await recipient.GetAsync($"/t/o/{mail.OpenToken}.gif")).EnsureSuccessStatusCode();
            await recipient.GetAsync($"/t/c/{mail.ClickTokens[0]}");
        }

        var sent = await Eventually.ReturnsAsync(
            () => Task.FromResult(logs.Entries.FirstOrDefault(e => e.Properties.GetValueOrDefault("MessageId") == mail.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture)
                                                                   && e.Text.Contains("sent after", StringComparison.Ordinal))),
            "the send to be logged");
        Assert.Equal(user.Id, sent.Properties["UserId"]);

        var everything = string.Join("\n", logs.Entries.Select(e => e.Text + " " + string.Join(" ", e.Properties.Values)));
        foreach (var secret in new[] { TestUsers.Password, "Wrong-Pa55word!", mail.OpenToken!, mail.ClickTokens[0], "Confidential-body-text" })
        {
            Assert.DoesNotContain(secret, everything);
        }
    }
}
