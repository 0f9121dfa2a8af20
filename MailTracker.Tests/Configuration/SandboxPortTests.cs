using System.Net;
using System.Net.Sockets;
using MailTracker.Tests.Infrastructure;

namespace MailTracker.Tests.Configuration;

public sealed class SandboxPortTests
{
    [Fact]
    public async Task ABusySandboxPortDoesNotStopTheApp()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var busy = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var app = new MailTrackerApp().Set("Sandbox:Port", busy.ToString(System.Globalization.CultureInfo.InvariantCulture));

        app.Start();
        using var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };

        var health = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/healthz")).RootElement;
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Redirect, (await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) }.GetAsync("/mail")).StatusCode);
    }
}
