using System.Globalization;
using System.Net;
using System.Text;

namespace MailTracker.Core.Tracking.Verdicts;

/// <summary>Which published network a range file describes; decides what a hit from there means.</summary>
public enum NetworkProvider
{
    /// <summary>A mail security gateway (Proofpoint, Mimecast, Barracuda, Exchange Online Protection).</summary>
    Gateway,

    /// <summary>iCloud Private Relay egress, used by Apple Mail Privacy Protection.</summary>
    ApplePrivateRelay,

    /// <summary>Apple's own network.</summary>
    Apple,

    /// <summary>Google, including Gmail's image proxy and Google Cloud.</summary>
    Google,

    /// <summary>Microsoft 365 and Azure.</summary>
    Microsoft,

    /// <summary>Other cloud hosting (AWS, DigitalOcean, Linode, Oracle, Vultr).</summary>
    Cloud,
}

/// <summary>
/// A dated range data file: a few <c># key: value</c> header lines (provider, label, source, updated), then one CIDR a
/// line with an optional label after a space. The same format is shipped and written by <c>refresh-ranges</c>.
/// </summary>
public sealed record RangeFile(
    NetworkProvider Provider,
    string Label,
    string Source,
    DateOnly Updated,
    IReadOnlyList<(IPNetwork Network, string? Label)> Ranges)
{
    /// <summary>The shipped file names, in the order they are consulted (the most specific first).</summary>
    public static readonly IReadOnlyList<(string FileName, NetworkProvider Provider)> Known =
    [
        ("gateways.txt", NetworkProvider.Gateway),
        ("apple-private-relay.txt", NetworkProvider.ApplePrivateRelay),
        ("apple.txt", NetworkProvider.Apple),
        ("google.txt", NetworkProvider.Google),
        ("microsoft.txt", NetworkProvider.Microsoft),
        ("cloud.txt", NetworkProvider.Cloud),
    ];

    /// <summary>Parses a range file; throws <see cref="FormatException"/> naming the line that is wrong.</summary>
    public static RangeFile Parse(string text, string name)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var ranges = new List<(IPNetwork, string?)>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                var colon = line.IndexOf(':');
                if (colon > 1 && ranges.Count == 0)
                {
                    headers.TryAdd(line[1..colon].Trim(), line[(colon + 1)..].Trim());
                }

                continue;
            }

            var space = line.IndexOf(' ');
            var cidr = space < 0 ? line : line[..space];
            if (!IPNetwork.TryParse(cidr, out var network))
            {
                throw new FormatException($"{name} line {lineNumber}: '{cidr}' is not a CIDR block.");
            }

            ranges.Add((network, space < 0 ? null : line[(space + 1)..].Trim()));
        }

        if (!headers.TryGetValue("provider", out var providerName) || ParseProvider(providerName) is not { } provider)
        {
            throw new FormatException($"{name}: the '# provider:' header is missing or unknown.");
        }

        var updated = headers.TryGetValue("updated", out var date)
            && DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? day
                : DateOnly.MinValue;
        return new RangeFile(
            provider, headers.GetValueOrDefault("label") ?? providerName, headers.GetValueOrDefault("source") ?? "", updated, ranges);
    }

    /// <summary>Writes the file in the format <see cref="Parse"/> reads.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append("# provider: ").Append(ProviderName(Provider)).Append('\n');
        text.Append("# label: ").Append(Label).Append('\n');
        text.Append("# source: ").Append(Source).Append('\n');
        text.Append("# updated: ").Append(Updated.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\n');
        foreach (var (network, label) in Ranges)
        {
            text.Append(network.ToString());
            if (!string.IsNullOrEmpty(label))
            {
                text.Append(' ').Append(label);
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The header name of a provider.</summary>
    public static string ProviderName(NetworkProvider provider) => provider switch
    {
        NetworkProvider.Gateway => "gateway",
        NetworkProvider.ApplePrivateRelay => "apple-private-relay",
        NetworkProvider.Apple => "apple",
        NetworkProvider.Google => "google",
        NetworkProvider.Microsoft => "microsoft",
        _ => "cloud",
    };

    private static NetworkProvider? ParseProvider(string name) =>
        Enum.GetValues<NetworkProvider>().Where(p => ProviderName(p) == name).Select(p => (NetworkProvider?)p).FirstOrDefault();
}
