using System.Diagnostics;
using System.Text.Json.Nodes;

namespace MailTracker.Tests.Tracking.Verdicts;

public class ClassifyCommandTests
{
    [Fact]
    public async Task TheBuiltAppClassifiesAFileAndPrintsOneVerdictALineInInputOrder()
    {
        var input = Path.GetTempFileName();
        await File.WriteAllLinesAsync(input,
        [
            """{"id":"b","message":"m1","kind":"open","method":"GET","user_agent":"Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)","ip":"66.249.84.12","seconds_after_send":3600,"unknown_field":1}""",
            """{"id":"a","message":"m2","kind":"click","method":"HEAD","user_agent":"","ip":"81.2.69.160","seconds_after_send":4,"link_index":0,"links_in_message":2}""",
            """{"id":7,"message":"m1","kind":"open","method":"GET","user_agent":"Mozilla/5.0","ip":"172.224.226.5","seconds_after_send":10,"sender_sessions":[]}""",
        ]);
        try
        {
            var start = new ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "MailTracker.Web.dll"), "classify", input])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

            Assert.True(process.ExitCode == 0, await stderr);
            var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
            Assert.Equal(["b", "a", "7"], lines.Select(l => l["id"]!.ToJsonString().Trim('"')));
            Assert.Equal(["ImageProxy", "Scanner", "PrivacyProxy"], lines.Select(l => l["verdict"]!.GetValue<string>()));
            Assert.Equal([true, false, false], lines.Select(l => l["counted"]!.GetValue<bool>()));
            Assert.All(lines, l => Assert.False(string.IsNullOrWhiteSpace(l["reason"]!.GetValue<string>())));
            Assert.Contains("Verdict ranges", await stderr);
        }
        finally
        {
            File.Delete(input);
        }
    }
}
