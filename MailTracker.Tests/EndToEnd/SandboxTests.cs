using MailKit.Net.Smtp;
using MailKit.Security;
using MailTracker.Tests.Infrastructure;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

public sealed class SandboxTests(MailTrackerApp app, BrowserFixture browser) : IClassFixture<MailTrackerApp>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task MailSentThroughSmtpToTheSandboxShowsThereWithImagesLoading()
    {
        await app.CreateUserAsync("carol@example.com", name: "Carol");
        var mail = new MimeMessage();
        mail.From.Add(new MailboxAddress("Carol", "carol@example.com"));
        mail.To.Add(new MailboxAddress("Dan", "dan@example.com"));
        mail.Subject = "Quarterly numbers";
        mail.Body = new BodyBuilder
        {
            HtmlBody = $"<p>Numbers attached.</p><img id=\"logo\" alt=\"logo\" src=\"{app.BaseUrl}/favicon.png\">",
            TextBody = "Numbers attached.",
        }.ToMessageBody();
        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync("127.0.0.1", app.SandboxPort, SecureSocketOptions.None);
            await smtp.SendAsync(mail);
            await smtp.DisconnectAsync(true);
        }

        await using var context = await browser.NewContextAsync(app);
        var pages = new AppPages(await context.NewPageAsync());
        await pages.SignInAsync("carol@example.com");
        var frame = await pages.OpenInSandboxAsync("Quarterly numbers");

        await Expect(frame.GetByText("Numbers attached.")).ToBeVisibleAsync();
        var logo = frame.Locator("#logo");
        await Expect(logo).ToBeVisibleAsync();
        await Expect(logo).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await logo.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the remote image should have loaded");
        await Expect(pages.Page.GetByText("not real delivery", new() { Exact = false })).ToBeVisibleAsync();
    }
}
