using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MailTracker.Core.Tracking.Verdicts;

/// <summary>What a user agent says about the client behind a hit.</summary>
public enum AgentKind
{
    /// <summary>No user agent header.</summary>
    Absent,

    /// <summary>A mail client (Outlook, Apple Mail, Thunderbird…).</summary>
    MailClient,

    /// <summary>A web browser.</summary>
    Browser,

    /// <summary>A webmail image proxy fetching as the reader opens (Gmail, Yahoo).</summary>
    ImageProxy,

    /// <summary>Gmail's send-time prefetch.</summary>
    Prefetch,

    /// <summary>Apple Mail Privacy Protection's bare <c>Mozilla/5.0</c>.</summary>
    PrivacyProxy,

    /// <summary>An Office application checking a link before the browser opens it.</summary>
    OfficeProbe,

    /// <summary>A named security product.</summary>
    Scanner,

    /// <summary>A chat or social link preview.</summary>
    Preview,

    /// <summary>An HTTP library or headless browser.</summary>
    Library,

    /// <summary>A crawler or bot (uap-core's Spider device).</summary>
    Bot,

    /// <summary>Nothing recognised.</summary>
    Unknown,
}

/// <summary>A user agent as classified: its kind, a display name, and the client class it implies.</summary>
public sealed record AgentInfo(AgentKind Kind, string Name, ClientClass ClientClass, bool MobileOs)
{
    /// <summary>True for the kinds that are machines whatever else is known.</summary>
    public bool IsMachine => Kind is AgentKind.Scanner or AgentKind.Preview or AgentKind.Library or AgentKind.Bot;
}

/// <summary>
/// Classifies user agents with a small curated pattern list (mail clients, proxies, scanners) on top of ua-parser's
/// uap-core regexes, both shipped as data. Results are cached per user agent string, so a repeated agent costs one
/// dictionary look-up.
/// </summary>
public sealed class AgentCatalog
{
    private const int CacheLimit = 50_000;
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

    private static readonly HashSet<string> MailFamilies = new(StringComparer.OrdinalIgnoreCase)
    {
        "Outlook", "Apple Mail", "Thunderbird", "Airmail", "Superhuman", "Lightning", "Outlook-iOS", "Outlook-iOS-Android",
        "MacOutlook", "kmail2", "YahooMobileMail", "MailBar", "Outlook-Express", "Windows Live Mail", "Spark",
    };

    private static readonly HashSet<string> MobileOses = new(StringComparer.OrdinalIgnoreCase)
    {
        "iOS", "Android", "iPadOS", "Windows Phone", "BlackBerry OS", "KaiOS", "HarmonyOS", "Tizen", "Symbian OS",
        "Firefox OS", "webOS", "Windows Mobile",
    };

    private readonly IReadOnlyList<CuratedPattern> _curated;
    private readonly IReadOnlyList<UaParser> _agents;
    private readonly IReadOnlyList<OsParser> _oses;
    private readonly IReadOnlyList<Regex> _spiders;
    private readonly ConcurrentDictionary<string, AgentInfo> _cache = new(StringComparer.Ordinal);

    private AgentCatalog(IReadOnlyList<CuratedPattern> curated, IReadOnlyList<UaParser> agents, IReadOnlyList<OsParser> oses, IReadOnlyList<Regex> spiders)
    {
        (_curated, _agents, _oses, _spiders) = (curated, agents, oses, spiders);
    }

    /// <summary>How many patterns of each source were loaded.</summary>
    public (int Curated, int Agents, int Oses, int Spiders) Counts => (_curated.Count, _agents.Count, _oses.Count, _spiders.Count);

    /// <summary>Loads the curated TSV and the uap-core JSON.</summary>
    public static AgentCatalog Load(string curatedTsv, string uapJson)
    {
        var curated = new List<CuratedPattern>();
        foreach (var line in curatedTsv.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var columns = line.TrimEnd('\r').Split('\t');
            if (columns.Length < 4)
            {
                throw new FormatException($"agent-patterns.tsv: '{line}' has fewer than four columns.");
            }

            curated.Add(new CuratedPattern(
                ParseKind(columns[0]), columns[1], Enum.Parse<ClientClass>(columns[2]),
                new Regex(columns[3], RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout)));
        }

        using var document = JsonDocument.Parse(uapJson);
        var root = document.RootElement;
        var agents = new List<UaParser>();
        foreach (var entry in root.GetProperty("user_agent_parsers").EnumerateArray())
        {
            if (TryRegex(entry) is { } regex)
            {
                agents.Add(new UaParser(regex, entry.TryGetProperty("family_replacement", out var family) ? family.GetString() : null));
            }
        }

        var oses = new List<OsParser>();
        foreach (var entry in root.GetProperty("os_parsers").EnumerateArray())
        {
            if (TryRegex(entry) is { } regex)
            {
                oses.Add(new OsParser(regex, entry.TryGetProperty("os_replacement", out var os) ? os.GetString() : null));
            }
        }

        var spiders = root.GetProperty("spider_parsers").EnumerateArray().Select(TryRegex).OfType<Regex>().ToList();
        return new AgentCatalog(curated, agents, oses, spiders);
    }

    /// <summary>Classifies one user agent (null or empty: absent).</summary>
    public AgentInfo Classify(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return new AgentInfo(AgentKind.Absent, "no user agent", ClientClass.Machine, false);
        }

        if (_cache.TryGetValue(userAgent, out var known))
        {
            return known;
        }

        var info = ClassifyUncached(userAgent);
        if (_cache.Count >= CacheLimit)
        {
            _cache.Clear();
        }

        _cache[userAgent] = info;
        return info;
    }

    private AgentInfo ClassifyUncached(string agent)
    {
        var os = ParseOs(agent);
        var mobile = os is not null && MobileOses.Contains(os);
        foreach (var pattern in _curated)
        {
            if (Match(pattern.Regex, agent) is not null)
            {
                var clientClass = pattern.Kind == AgentKind.MailClient && mobile ? ClientClass.Mobile : pattern.ClientClass;
                return new AgentInfo(pattern.Kind, pattern.Name, clientClass, mobile);
            }
        }

        var family = ParseFamily(agent);
        if (_spiders.Any(s => Match(s, agent) is not null))
        {
            return new AgentInfo(AgentKind.Bot, family is null or "Other" ? "crawler" : family, ClientClass.Machine, mobile);
        }

        if (family is null or "Other")
        {
            return new AgentInfo(AgentKind.Unknown, "unrecognised agent", ClientClass.Unknown, mobile);
        }

        var device = mobile ? ClientClass.Mobile : ClientClass.Desktop;
        if (MailFamilies.Contains(family))
        {
            return new AgentInfo(AgentKind.MailClient, family, device, mobile);
        }

        // iOS Mail (and other in-app web views) renders with WebKit and no browser token.
        if (family == "Mobile Safari UI/WKWebView")
        {
            return new AgentInfo(AgentKind.MailClient, "iOS Mail", ClientClass.Mobile, true);
        }

        var name = os is null ? family : $"{family} on {os}";
        return new AgentInfo(AgentKind.Browser, name, device, mobile);
    }

    private string? ParseFamily(string agent)
    {
        foreach (var parser in _agents)
        {
            var match = Match(parser.Regex, agent);
            if (match is null)
            {
                continue;
            }

            if (parser.Family is { } replacement)
            {
                return replacement.Contains("$1", StringComparison.Ordinal)
                    ? replacement.Replace("$1", match.Groups.Count > 1 ? match.Groups[1].Value : "", StringComparison.Ordinal).Trim()
                    : replacement;
            }

            return match.Groups.Count > 1 ? match.Groups[1].Value.Trim() : null;
        }

        return null;
    }

    private string? ParseOs(string agent)
    {
        foreach (var parser in _oses)
        {
            var match = Match(parser.Regex, agent);
            if (match is null)
            {
                continue;
            }

            if (parser.Os is { } replacement)
            {
                return replacement.Replace("$1", match.Groups.Count > 1 ? match.Groups[1].Value : "", StringComparison.Ordinal).Trim();
            }

            return match.Groups.Count > 1 ? match.Groups[1].Value.Trim() : null;
        }

        return null;
    }

    private static Match? Match(Regex regex, string agent)
    {
        try
        {
            var match = regex.Match(agent);
            return match.Success ? match : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null; // a pathological agent is treated as not matching this pattern
        }
    }

    private static Regex? TryRegex(JsonElement entry)
    {
        var pattern = entry.GetProperty("regex").GetString()!;
        var options = RegexOptions.CultureInvariant;
        if (entry.TryGetProperty("regex_flag", out var flag) && flag.GetString() == "i")
        {
            options |= RegexOptions.IgnoreCase;
        }

        try
        {
            return new Regex(pattern, options, RegexTimeout);
        }
        catch (ArgumentException)
        {
            return null; // a construct .NET does not support; that one pattern is skipped
        }
    }

    private static AgentKind ParseKind(string kind) => kind switch
    {
        "prefetch" => AgentKind.Prefetch,
        "image-proxy" => AgentKind.ImageProxy,
        "privacy-proxy" => AgentKind.PrivacyProxy,
        "office-probe" => AgentKind.OfficeProbe,
        "mail-client" => AgentKind.MailClient,
        "scanner" => AgentKind.Scanner,
        "preview" => AgentKind.Preview,
        "library" => AgentKind.Library,
        _ => throw new FormatException($"agent-patterns.tsv: unknown kind '{kind}'."),
    };

    private sealed record CuratedPattern(AgentKind Kind, string Name, ClientClass ClientClass, Regex Regex);

    private sealed record UaParser(Regex Regex, string? Family);

    private sealed record OsParser(Regex Regex, string? Os);
}
