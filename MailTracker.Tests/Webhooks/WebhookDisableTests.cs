using MailTracker.Core.Webhooks;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace MailTracker.Tests.Webhooks;

/// <summary>An endpoint whose every attempt fails for a day is disabled and its owner told; switching it on starts afresh.</summary>
public sealed class WebhookDisableTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly MailTrackerApp _app = new();
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _receiver.Answer = _ => 500;
        _app.UseClock(_clock).Set("Webhooks:RetryAttempts", "0").Set("Webhooks:BackoffSeconds", "3600");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private async Task<WebhookEndpoint> EndpointAsync()
    {
        await using var db = await _app.DbAsync();
        return await db.WebhookEndpoints.AsNoTracking().SingleAsync();
    }

    [Fact]
    public async Task AfterADayOfFailuresTheEndpointIsDisabledItsOwnerToldAndNewEventsNoLongerQueued()
    {
        var admin = await _app.CreateUserAsync("owner@disable.test");
        var endpoints = _app.Service<WebhookEndpoints>();
        var added = await endpoints.AddAsync(admin.Id, _receiver.Url(), WebhookEvents.MessageSent, false);
        await TestMail.SendAsync(_app, admin, subject: "First");
        await Eventually.TrueAsync(async () => (await EndpointAsync()).FailingSince is not null, "the first failed attempt");
        var failingSince = (await EndpointAsync()).FailingSince;

        // Twelve hours on: failing, but not yet for a day.
        _clock.Advance(TimeSpan.FromHours(12));
        await Eventually.TrueAsync(() => Task.FromResult(_receiver.Received.Count >= 2), "the retry after the backoff");
        Assert.True((await EndpointAsync()).Enabled);
        Assert.Empty(await endpoints.DisabledForFailingAsync(admin.Id));

        _clock.Advance(TimeSpan.FromHours(13));
        await Eventually.TrueAsync(async () => !(await EndpointAsync()).Enabled, "the endpoint to be disabled");
        var disabled = await EndpointAsync();
        Assert.Equal(failingSince, disabled.FailingSince);
        Assert.NotNull(disabled.DisabledAt);
        Assert.Equal([_receiver.Url()], await endpoints.DisabledForFailingAsync(admin.Id));

        // A disabled endpoint gets nothing new: its queued delivery waits, nothing more is added.
        await TestMail.SendAsync(_app, admin, subject: "Second");
        await using (var db = await _app.DbAsync())
        {
            Assert.Equal(1, await db.WebhookDeliveries.CountAsync());
        }

        // Switched on again (the receiver fixed): the bell stops saying so, and the waiting delivery goes.
        _receiver.Answer = _ => 200;
        var on = await endpoints.UpdateAsync(admin.Id, added.Id!.Value, _receiver.Url(), WebhookEvents.MessageSent, false, enabled: true);
        Assert.True(on.Succeeded);
        Assert.Empty(await endpoints.DisabledForFailingAsync(admin.Id));
        var waiting = await endpoints.DeliveriesAsync(admin.Id, added.Id.Value);
        Assert.True(await endpoints.RedeliverAsync(admin.Id, Assert.Single(waiting!).Id));
        var got = Assert.Single(await _receiver.AcceptedAsync(1));
        Assert.Equal("First", got.Json.GetProperty("subject").GetString());
        await Eventually.TrueAsync(async () => (await EndpointAsync()).FailingSince is null, "the endpoint's failures to be forgotten");
    }
}
