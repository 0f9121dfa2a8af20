using System.Net;
using System.Text.Json;
using MailTracker.Tests.Infrastructure;

namespace MailTracker.Tests.Operations;

/// <summary>/healthz says the process answers; /healthz/ready names each dependency and whether it is ready.</summary>
public sealed class HealthTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task ReadinessNamesTheDatabaseTheWorkersAndRedisWhenConfigured()
    {
        await using var app = new MailTrackerApp().Set("SignalR:Redis", redis.ConnectionString);
        using var anonymous = new HttpClient { BaseAddress = new Uri(app.Start().BaseUrl) };

        var live = await anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var liveBody = JsonDocument.Parse(await live.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", liveBody.GetProperty("status").GetString());
        Assert.Equal(["self"], liveBody.GetProperty("checks").EnumerateObject().Select(c => c.Name));

        var ready = await Eventually.ReturnsAsync(async () =>
        {
            var response = await anonymous.GetAsync("/healthz/ready");
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
        }, "readiness");
        var checks = JsonDocument.Parse(ready).RootElement.GetProperty("checks");
        Assert.Equal(["database", "outbox", "redis", "self", "sync", "tracking"], checks.EnumerateObject().Select(c => c.Name).Order());
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task AnUnreachableRedisMakesTheInstanceNotReadyButStillLive()
    {
        await using var app = new MailTrackerApp().Set("SignalR:Redis", $"127.0.0.1:{FreePort.Next()},connectTimeout=500");
        using var anonymous = new HttpClient { BaseAddress = new Uri(app.Start().BaseUrl) };

        var ready = await anonymous.GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var checks = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
    }
}
