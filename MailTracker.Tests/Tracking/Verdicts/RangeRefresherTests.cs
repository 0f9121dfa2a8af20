using System.Net;
using System.Text;
using MailTracker.Core.Tracking.Verdicts;

namespace MailTracker.Tests.Tracking.Verdicts;

public class RangeRefresherTests
{
    [Fact]
    public void AggregationMergesAdjacentAndNestedBlocks()
    {
        var blocks = RangeRefresher.Aggregate(
            new[] { "172.224.0.0/13", "172.232.0.0/13", "172.224.5.0/24", "2a02:26f7:b00a:4000::/64", "2a02:26f7:b00a:4001::/64" }.Select(IPNetwork.Parse));

        Assert.Equal(["172.224.0.0/12", "2a02:26f7:b00a:4000::/63"], blocks.Select(b => b.ToString()));
    }

    [Fact]
    public void PublishedFormatsAreRead()
    {
        const string appleCsv = "172.224.226.0/27,GB,GB-EN,London,\n2a02:26f7:b3c0:4000::/64,GB,GB-EN,London,\n";
        const string googJson = """{"syncToken":"1","creationTime":"2026-01-01T00:00:00","prefixes":[{"ipv4Prefix":"66.249.64.0/19"},{"ipv6Prefix":"2001:4860::/32"}]}""";
        const string office = """[{"id":10,"serviceArea":"Exchange","ips":["40.92.0.0/15","2a01:111:f403::/48"],"urls":["*.mail.protection.outlook.com"]}]""";

        Assert.Equal(2, RangeRefresher.ExtractBlocks(appleCsv).Count);
        Assert.Equal(["66.249.64.0/19", "2001:4860::/32"], RangeRefresher.ExtractBlocks(googJson).Select(b => b.ToString()));
        Assert.Equal(["40.92.0.0/15", "2a01:111:f403::/48"], RangeRefresher.ExtractBlocks(office).Select(b => b.ToString()));
    }

    [Fact]
    public async Task RefreshFromALoopbackServerWritesDatedFilesTheEngineLoads()
    {
        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serving = Task.Run(async () =>
        {
            for (var served = 0; served < 2; served++)
            {
                var context = await listener.GetContextAsync();
                var body = context.Request.Url!.AbsolutePath.EndsWith(".csv", StringComparison.Ordinal)
                    ? "172.224.226.0/27,GB,GB-EN,London,\n172.224.226.32/27,GB,GB-EN,London,\n"
                    : """{"prefixes":[{"ipv4Prefix":"66.249.64.0/19"}]}""";
                var bytes = Encoding.UTF8.GetBytes(body);
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });
        var output = Directory.CreateTempSubdirectory("verdict-ranges-");
        try
        {
            using var http = new HttpClient();
            var written = await new RangeRefresher(http).RefreshAsync(
                [
                    new(NetworkProvider.ApplePrivateRelay, [$"http://127.0.0.1:{port}/egress-ip-ranges.csv"]),
                    new(NetworkProvider.Google, [$"http://127.0.0.1:{port}/goog.json"]),
                ],
                output.FullName, new DateOnly(2026, 12, 3), CancellationToken.None);
            await serving;

            Assert.Equal(2, written.Count);
            var apple = await File.ReadAllTextAsync(Path.Combine(output.FullName, "apple-private-relay.txt"));
            Assert.Contains("# updated: 2026-12-03", apple);
            Assert.Contains("172.224.226.0/26", apple);

            var data = VerdictReferenceData.Load(output.FullName);
            Assert.Equal("172.224.226.0/26", data.FindNetwork(IPAddress.Parse("172.224.226.40"))?.Range.Cidr);
            Assert.Null(data.FindNetwork(IPAddress.Parse("104.28.28.1"))); // the refreshed file replaced the shipped one
            Assert.Contains(data.Files, f => f.FileName == "google.txt" && f.Updated == new DateOnly(2026, 12, 3));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
