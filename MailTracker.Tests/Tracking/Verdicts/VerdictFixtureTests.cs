using System.Text;
using MailTracker.Core.Tracking.Verdicts;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace MailTracker.Tests.Tracking.Verdicts;

/// <summary>
/// The fixture set (verdict-fixtures.jsonl, written by tools/verdicts/make-fixtures.py): recorded-style hits in the
/// classify input format, each with the expected verdict and the public source of its agent or behaviour.
/// </summary>
public class VerdictFixtureTests(ITestOutputHelper output)
{
    private static readonly Lazy<(IReadOnlyList<ReplayHit> Lines, IReadOnlyList<ReplayVerdict> Verdicts)> Judged = new(() =>
    {
        var lines = File.ReadAllLines(FixturePath).Where(l => l.Length > 0).Select((l, i) => VerdictReplay.ParseLine(l, i + 1)).ToList();
        return (lines, VerdictReplay.Judge(TestEngine.Create(), lines));
    });

    public static string FixturePath => Path.Combine(AppContext.BaseDirectory, "Tracking", "Verdicts", "verdict-fixtures.jsonl");

    public static TheoryData<string> FixtureIds()
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadAllLines(FixturePath).Where(l => l.Length > 0))
        {
            data.Add(VerdictReplay.ParseLine(line, 0).Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureIds))]
    public void EachFixtureHitGetsTheExpectedVerdict(string id)
    {
        var (lines, verdicts) = Judged.Value;
        var index = lines.ToList().FindIndex(l => l.Id == id);
        var line = lines[index];
        var expected = line.Line["expected"]!.GetValue<string>();

        Assert.True(
            expected == verdicts[index].Verdict.ToString(),
            $"{id} ({line.Line["kind"]} {line.Line["user_agent"]} from {line.Line["ip"]}): expected {expected}, got {verdicts[index].Verdict} — {verdicts[index].Reason}; source {line.Line["source"]}");
        Assert.False(string.IsNullOrWhiteSpace(line.Line["source"]?.GetValue<string>()), $"{id} cites no source");
    }

    [Fact]
    public void FixtureSetMeetsTheTargetsAndPrintsItsConfusionTable()
    {
        var (lines, verdicts) = Judged.Value;
        var expected = lines.Select(l => Enum.Parse<Verdict>(l.Line["expected"]!.GetValue<string>())).ToList();
        var right = expected.Where((e, i) => e == verdicts[i].Verdict).Count();
        var senderCounted = expected.Where((e, i) => e == Verdict.Sender && verdicts[i].Counted).Count();
        var machines = expected.Select((e, i) => (e, i)).Where(x => x.e is Verdict.Scanner or Verdict.Prefetch or Verdict.PrivacyProxy).ToList();
        var machinesCounted = machines.Count(x => verdicts[x.i].Counted);

        var table = new StringBuilder();
        var all = Enum.GetValues<Verdict>();
        table.Append("expected \\ got".PadRight(15)).AppendJoin("", all.Select(v => v.ToString().PadLeft(13))).AppendLine();
        foreach (var e in all)
        {
            table.Append(e.ToString().PadRight(15));
            foreach (var g in all)
            {
                table.Append(expected.Where((x, i) => x == e && verdicts[i].Verdict == g).Count().ToString().PadLeft(13));
            }

            table.AppendLine();
        }

        output.WriteLine($"{right}/{expected.Count} verdicts right ({100.0 * right / expected.Count:0.0} %); sender hits counted: {senderCounted}; machine hits counted: {machinesCounted}/{machines.Count}");
        output.WriteLine(table.ToString());

        Assert.True(expected.Count >= 200, "the fixture set has at least 200 hits");
        Assert.True(right >= expected.Count * 0.95, $"{right}/{expected.Count} right");
        Assert.Equal(0, senderCounted);
        Assert.True(machinesCounted <= machines.Count * 0.02, $"{machinesCounted} machine hits counted");
    }
}

/// <summary>One engine over the shipped data, built once for all tests.</summary>
internal static class TestEngine
{
    private static readonly Lazy<VerdictReferenceData> Data = new(() => VerdictReferenceData.Load());

    public static VerdictReferenceData ReferenceData => Data.Value;

    public static VerdictEngine Create(VerdictOptions? options = null) => new(Data.Value, Options.Create(options ?? new VerdictOptions()));
}
