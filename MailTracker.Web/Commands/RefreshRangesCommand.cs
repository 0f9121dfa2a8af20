using MailTracker.Core.Tracking.Verdicts;

namespace MailTracker.Web.Commands;

/// <summary>
/// <c>refresh-ranges [--out DIR] [--from DIR] [--source PROVIDER=URL|FILE]…</c>: rewrites the dated range files the
/// verdict engine reads from the publishers' formats. With neither <c>--from</c> nor <c>--source</c> it reads the
/// publishers' own URLs. <c>--from DIR</c> takes every file whose name starts with a provider's file name
/// (<c>apple-private-relay</c>, <c>google</c>, <c>microsoft</c>, <c>cloud</c>, <c>gateways</c>, <c>apple</c>), e.g.
/// <c>google-goog.json</c>. <c>--out</c> defaults to <c>Tracking:Verdicts:RangesDirectory</c>, where the app looks.
/// </summary>
public static partial class RefreshRangesCommand
{
    /// <summary>Runs the command; 0 on success, 2 on bad arguments, 1 when a source could not be read.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        using var loggerFactory = LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        var logger = loggerFactory.CreateLogger("refresh-ranges");
        string? output = null;
        var sources = new List<RangeSource>();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--out" when value is not null:
                    output = value;
                    i++;
                    break;
                case "--from" when value is not null && Directory.Exists(value):
                    sources.AddRange(FromDirectory(value));
                    i++;
                    break;
                case "--source" when value is not null && value.Split('=', 2) is [var name, var location] && ProviderOf(name) is { } provider:
                    sources.Add(new RangeSource(provider, [location]));
                    i++;
                    break;
                default:
                    stderr.WriteLine("usage: refresh-ranges [--out DIR] [--from DIR] [--source PROVIDER=URL|FILE]...");
                    stderr.WriteLine("       PROVIDER: " + string.Join(", ", RangeFile.Known.Select(k => RangeFile.ProviderName(k.Provider))));
                    return 2;
            }
        }

        if (sources.Count == 0)
        {
            sources.AddRange(RangeRefresher.PublishedSources);
        }

        output ??= MailTrackerCommands.RangesDirectory(MailTrackerCommands.LoadVerdictOptions())
            ?? Path.GetFullPath(Path.Combine("App_Data", "verdict-ranges"));
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("MailTracker-refresh-ranges/1.0");
        try
        {
            var written = await new RangeRefresher(http).RefreshAsync(
                sources, output, DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime), cancellationToken);
            foreach (var (path, blocks) in written)
            {
                stdout.WriteLine($"{path}: {blocks} blocks");
            }

            LogWritten(logger, written.Count, output);
            return 0;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or FormatException
            or System.Text.Json.JsonException or InvalidOperationException or TaskCanceledException)
        {
            LogFailed(logger, e.Message);
            return 1;
        }
    }

    private static IEnumerable<RangeSource> FromDirectory(string directory)
    {
        // The longest file-name stem wins, so apple-private-relay.csv is not taken for apple.
        var stems = RangeFile.Known.Select(k => (Stem: Path.GetFileNameWithoutExtension(k.FileName), k.Provider))
            .OrderByDescending(k => k.Stem.Length).ToList();
        foreach (var group in Directory.GetFiles(directory).Order(StringComparer.Ordinal)
            .Select(path => (path, stem: stems.FirstOrDefault(s => Path.GetFileName(path).StartsWith(s.Stem, StringComparison.OrdinalIgnoreCase))))
            .Where(x => x.stem.Stem is not null)
            .GroupBy(x => x.stem.Provider))
        {
            yield return new RangeSource(group.Key, group.Select(x => x.path).ToList());
        }
    }

    private static NetworkProvider? ProviderOf(string name) =>
        RangeFile.Known.Where(k => RangeFile.ProviderName(k.Provider) == name || Path.GetFileNameWithoutExtension(k.FileName) == name)
            .Select(k => (NetworkProvider?)k.Provider).FirstOrDefault();

    [LoggerMessage(Level = LogLevel.Information, Message = "refresh-ranges: wrote {Count} range files to {Directory}")]
    private static partial void LogWritten(ILogger logger, int count, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "refresh-ranges: {Problem}; no file was left half-written")]
    private static partial void LogFailed(ILogger logger, string problem);
}
