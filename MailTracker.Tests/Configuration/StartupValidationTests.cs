using MailTracker.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace MailTracker.Tests.Configuration;

public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Tracking:PublicBaseUrl", "track.example.com", "Tracking:PublicBaseUrl")]
    [InlineData("Sandbox:Host", "0.0.0.0", "Sandbox:Host")]
    [InlineData("Outbox:MaxAttempts", "0", "Outbox:MaxAttempts")]
    [InlineData("Tracking:SqliteSynchronous", "OFF", "Tracking:SqliteSynchronous")]
    [InlineData("Mailboxes:Google:ClientId", "client-without-secret", "Mailboxes:Google:ClientSecret")]
    [InlineData("Mailboxes:Generic:ClientId", "client-without-endpoints", "Mailboxes:Generic:TokenEndpoint")]
    public async Task ABadSettingStopsTheAppAtStartNamingTheKey(string key, string value, string named)
    {
        await using var app = new MailTrackerApp().Set(key, value);

        var error = Assert.ThrowsAny<Exception>(() => app.Start());

        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.True(validation is not null, $"not a validation failure: {error}");
        Assert.Contains(named, validation.Message);
    }
}
