using MailTracker.Core.Tracking.Verdicts;
using Microsoft.Extensions.Options;

namespace MailTracker.Web.Commands;

/// <summary>
/// <c>classify FILE</c> (or <c>-</c> for standard input): replays recorded hits, one JSON object a line, through the live
/// verdict engine and reference data, and prints <c>{"id":…,"verdict":…,"counted":…,"reason":"…"}</c> a line, in input
/// order. Logs go to standard error.
/// </summary>
public static partial class ClassifyCommand
{
    /// <summary>Runs the command; 0 on success, 2 on bad input.</summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length != 1)
        {
            stderr.WriteLine("usage: classify FILE   (JSON lines; '-' reads standard input)");
            return 2;
        }

        using var loggerFactory = LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Information));
        var logger = loggerFactory.CreateLogger("classify");
        var lines = new List<ReplayHit>();
        try
        {
            using var reader = args[0] == "-" ? null : new StreamReader(args[0]);
            var input = reader ?? stdin;
            var number = 0;
            while (input.ReadLine() is { } line)
            {
                number++;
                if (!string.IsNullOrWhiteSpace(line))
                {
                    lines.Add(VerdictReplay.ParseLine(line, number));
                }
            }
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            LogBadInput(logger, e.Message);
            return 2;
        }

        var options = MailTrackerCommands.LoadVerdictOptions();
        var data = VerdictReferenceData.Load(MailTrackerCommands.RangesDirectory(options), logger);
        var engine = new VerdictEngine(data, Options.Create(options));
        var verdicts = VerdictReplay.Judge(engine, lines);
        for (var i = 0; i < lines.Count; i++)
        {
            stdout.WriteLine(VerdictReplay.FormatLine(verdicts[i], lines[i].Line["id"]));
        }

        LogDone(logger, lines.Count, lines.Select(l => l.Message).Distinct().Count());
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "classify: {Problem}")]
    private static partial void LogBadInput(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "classify: judged {Hits} hits of {Messages} messages")]
    private static partial void LogDone(ILogger logger, int hits, int messages);
}
