using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MailTracker.Core.Tracking.Verdicts;

/// <summary>One line of a replay file (the <c>classify</c> command's input), as parsed.</summary>
public sealed record ReplayHit(
    string Id,
    string Message,
    HitInput Hit,
    int LinksInMessage,
    int RecipientsInMessage,
    IReadOnlyList<SenderSession> SenderSessions,
    JsonObject Line);

/// <summary>One line of the replay's output.</summary>
public sealed record ReplayVerdict(string Id, Verdict Verdict, bool Counted, string Reason, ClientClass ClientClass, bool Settled);

/// <summary>
/// Replays recorded hits through the engine the live projector uses: reads JSON lines (fields <c>id</c>, <c>message</c>,
/// <c>kind</c>, <c>method</c>, <c>user_agent</c>, <c>ip</c>, <c>seconds_after_send</c>, <c>link_index</c>, <c>hidden</c>,
/// <c>links_in_message</c>, <c>recipients_in_message</c>, <c>sender_sessions</c>, optional <c>sender_cookie</c>; others
/// ignored), judges each message's whole sequence with everything settled, and answers in input order.
/// </summary>
public static class VerdictReplay
{
    /// <summary>The send time replayed hits are placed after; any fixed instant works.</summary>
    public static readonly DateTime Epoch = new(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>Parses one input line; throws <see cref="FormatException"/> naming the field that is wrong.</summary>
    public static ReplayHit ParseLine(string line, int lineNumber)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(line)?.AsObject() ?? throw new FormatException($"line {lineNumber}: not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"line {lineNumber}: not JSON ({e.Message}).", e);
        }

        string? Text(string name) => json[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : json[name]?.ToJsonString();
        double? Number(string name) => json[name] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
        bool Flag(string name) => json[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

        var id = Text("id") ?? throw new FormatException($"line {lineNumber}: 'id' is missing.");
        var kind = Text("kind") switch
        {
            "open" => TrackingKind.Open,
            "click" => TrackingKind.Click,
            var other => throw new FormatException($"line {lineNumber}: 'kind' must be open or click, not '{other}'."),
        };
        var ip = Text("ip") is { Length: > 0 } address
            ? IPAddress.TryParse(address, out var parsed) ? parsed : throw new FormatException($"line {lineNumber}: 'ip' '{address}' is not an address.")
            : null;
        var seconds = Number("seconds_after_send") ?? 0;
        var sessions = new List<SenderSession>();
        if (json["sender_sessions"] is JsonArray list)
        {
            foreach (var item in list.OfType<JsonObject>())
            {
                if (item["ip"]?.GetValue<string>() is { } sessionIp && IPAddress.TryParse(sessionIp, out var sessionAddress))
                {
                    sessions.Add(new SenderSession(sessionAddress, item["user_agent"]?.GetValue<string>() ?? ""));
                }
            }
        }

        var hit = new HitInput(
            kind,
            Text("method") is { Length: > 0 } method ? method.ToUpperInvariant() : "GET",
            Text("user_agent"),
            ip,
            Epoch.AddSeconds(seconds),
            Number("link_index") is { } index ? (int)index : null,
            Flag("hidden"),
            Flag("sender_cookie"));
        return new ReplayHit(
            id, Text("message") ?? id, hit, (int)(Number("links_in_message") ?? 0), (int)(Number("recipients_in_message") ?? 1), sessions, json);
    }

    /// <summary>Judges every message's hits together (all settled) and returns one verdict per input, in input order.</summary>
    public static IReadOnlyList<ReplayVerdict> Judge(VerdictEngine engine, IReadOnlyList<ReplayHit> lines)
    {
        var results = new ReplayVerdict[lines.Count];
        var order = Enumerable.Range(0, lines.Count);
        foreach (var message in order.GroupBy(i => lines[i].Message, StringComparer.Ordinal))
        {
            var indexes = message.OrderBy(i => lines[i].Hit.At).ThenBy(i => i).ToList();
            var sessions = indexes.SelectMany(i => lines[i].SenderSessions).Distinct().ToList();
            var context = new MessageContext(
                Epoch,
                indexes.Max(i => lines[i].LinksInMessage),
                Math.Max(1, indexes.Max(i => lines[i].RecipientsInMessage)),
                sessions);
            var hits = indexes.Select(i => lines[i].Hit).ToList();

            // Judged a day after the last hit: every settle window has passed.
            var judged = engine.Judge(context, hits, hits[^1].At.AddDays(1));
            for (var k = 0; k < indexes.Count; k++)
            {
                var j = judged[k];
                results[indexes[k]] = new ReplayVerdict(lines[indexes[k]].Id, j.Verdict, j.Counted, j.Reason, j.ClientClass, j.Settled);
            }

        }

        return results;
    }

    /// <summary>The output line for one verdict: <c>{"id":…,"verdict":…,"counted":…,"reason":"…"}</c> (plus the client class).</summary>
    public static string FormatLine(ReplayVerdict verdict, JsonNode? id)
    {
        var output = new JsonObject
        {
            ["id"] = id?.DeepClone() ?? verdict.Id,
            ["verdict"] = verdict.Verdict.ToString(),
            ["counted"] = verdict.Counted,
            ["reason"] = verdict.Reason,
            ["client"] = verdict.ClientClass.ToString(),
        };
        return output.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
