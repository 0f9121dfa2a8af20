using MailTracker.Core.Notifications;
using MailTracker.Tests.Infrastructure;

namespace MailTracker.Tests.Notifications;

public sealed class ScaleOutTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mailtracker-scale-").FullName;

    [Fact]
    public async Task AHitServedByOneInstanceRingsTheBellOfAUserConnectedToAnother()
    {
        var database = $"Data Source={Path.Combine(_folder, "shared.db")}";
        await using var instanceA = new MailTrackerApp().Set("Database:ConnectionString", database).Set("SignalR:Redis", redis.ConnectionString);
        await using var instanceB = new MailTrackerApp().Set("Database:ConnectionString", database).Set("SignalR:Redis", redis.ConnectionString);
        var sender = await instanceA.CreateUserAsync("scale@example.com");
        var mail = await TestMail.SendAsync(instanceA, sender, subject: "Across instances");
        instanceB.Start();
        var (_, cookiesOnB) = await TestMail.SignInAsync(instanceB, "scale@example.com");
        await using var hubOnB = await HubClient.ConnectAsync(instanceB.BaseUrl, cookiesOnB);

        using var mailClient = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(instanceA.BaseUrl) };
        mailClient.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
        await mailClient.GetAsync($"/t/o/{mail.OpenToken}.gif");

        var push = await Eventually.ReturnsAsync(() => Task.FromResult(hubOnB.Received.TryPeek(out var e) ? e : null), "the push through Redis to instance B");
        Assert.Equal(UserPushKinds.Tracking, push.Kind);
        Assert.Equal(mail.MessageId, push.MessageId);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
