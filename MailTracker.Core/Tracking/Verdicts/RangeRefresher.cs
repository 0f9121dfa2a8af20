using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text.Json;

namespace MailTracker.Core.Tracking.Verdicts;

/// <summary>Where one provider's refreshed ranges come from: URLs or files in their publishers' formats.</summary>
public sealed record RangeSource(NetworkProvider Provider, IReadOnlyList<string> Locations);

/// <summary>
/// Rewrites the dated range files from the published sources: Apple's egress CSV, Google's goog.json / cloud.json,
/// Microsoft's 365 endpoints JSON or Azure Service Tags JSON, AWS ip-ranges.json, or plain CIDR lists. Every JSON string
/// that is a CIDR block counts, so the publishers' formats need no parser each; CSV and text lines count by their first
/// field. The blocks are aggregated (adjacent and nested blocks merged) so even Apple's list stays small.
/// </summary>
public sealed class RangeRefresher(HttpClient http)
{
    /// <summary>The publishers' own addresses, used when the operator names no source.</summary>
    public static readonly IReadOnlyList<RangeSource> PublishedSources =
    [
        new(NetworkProvider.ApplePrivateRelay, ["https://mask-api.icloud.com/egress-ip-ranges.csv"]),
        new(NetworkProvider.Google, ["https://www.gstatic.com/ipranges/goog.json", "https://www.gstatic.com/ipranges/cloud.json"]),
        new(NetworkProvider.Microsoft, ["https://endpoints.office.com/endpoints/worldwide?clientrequestid=b10c5ed1-bad1-445f-b386-b919946339a7"]),
        new(NetworkProvider.Cloud, ["https://ip-ranges.amazonaws.com/ip-ranges.json"]),
    ];

    /// <summary>Reads the sources and writes one range file per provider into <paramref name="outputDirectory"/>.</summary>
    /// <returns>The files written, with their interval counts.</returns>
    public async Task<IReadOnlyList<(string Path, int Blocks)>> RefreshAsync(
        IReadOnlyList<RangeSource> sources, string outputDirectory, DateOnly today, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outputDirectory);
        var written = new List<(string, int)>();
        foreach (var group in sources.GroupBy(s => s.Provider))
        {
            var provider = group.Key;
            var fileName = RangeFile.Known.First(k => k.Provider == provider).FileName;
            var locations = group.SelectMany(s => s.Locations).ToList();
            RangeFile file;
            if (provider is NetworkProvider.Gateway or NetworkProvider.Apple)
            {
                // Curated, labelled lists: the source must already be a range file; it is checked, then copied.
                if (locations.Count != 1)
                {
                    throw new InvalidOperationException($"{fileName} is curated: give exactly one range file for it.");
                }

                file = RangeFile.Parse(await ReadAsync(locations[0], cancellationToken), locations[0]) with { Updated = today };
            }
            else
            {
                var blocks = new List<IPNetwork>();
                foreach (var location in locations)
                {
                    var found = ExtractBlocks(await ReadAsync(location, cancellationToken));
                    if (found.Count == 0)
                    {
                        throw new InvalidDataException($"{location} holds no CIDR blocks; {fileName} is left as it was.");
                    }

                    blocks.AddRange(found);
                }

                var label = provider switch
                {
                    NetworkProvider.ApplePrivateRelay => "iCloud Private Relay egress",
                    NetworkProvider.Google => "Google",
                    NetworkProvider.Microsoft => "Microsoft 365 / Azure",
                    _ => "cloud hosting",
                };
                file = new RangeFile(provider, label, string.Join(" + ", locations), today, Aggregate(blocks).Select(b => (b, (string?)null)).ToList());
            }

            var path = Path.Combine(outputDirectory, fileName);
            var temporary = path + ".tmp";
            await File.WriteAllTextAsync(temporary, file.Format(), cancellationToken);
            File.Move(temporary, path, overwrite: true);
            written.Add((path, file.Ranges.Count));
        }

        return written;
    }

    /// <summary>
    /// Special-purpose networks (RFC 6890: private, loopback, link-local, shared, documentation) that no provider
    /// really serves from; a published list that names one (one cloud list carried the documentation ranges) is wrong
    /// there, and taking it would make every test and private network a "hosting range".
    /// </summary>
    private static readonly IPNetwork[] SpecialPurpose =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("2001:db8::/32"),
    ];

    /// <summary>True for a block inside a special-purpose network (see <see cref="SpecialPurpose"/>).</summary>
    public static bool IsSpecialPurpose(IPNetwork block) => SpecialPurpose.Any(s => s.Contains(block.BaseAddress) && block.PrefixLength >= s.PrefixLength);

    /// <summary>Every CIDR block (or bare address) in a JSON, CSV or text document, special-purpose networks left out.</summary>
    public static IReadOnlyList<IPNetwork> ExtractBlocks(string text) => ExtractAll(text).Where(b => !IsSpecialPurpose(b)).ToList();

    private static List<IPNetwork> ExtractAll(string text)
    {
        var blocks = new List<IPNetwork>();
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            using var document = JsonDocument.Parse(text);
            Walk(document.RootElement, blocks);
            return blocks;
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var field = line.Split([',', ' ', '\t'], 2)[0];
            if (TryBlock(field, out var block))
            {
                blocks.Add(block);
            }
        }

        return blocks;
    }

    /// <summary>The fewest CIDR blocks covering exactly the same addresses.</summary>
    public static IReadOnlyList<IPNetwork> Aggregate(IEnumerable<IPNetwork> blocks)
    {
        var v4 = new List<(BigInteger Start, BigInteger End)>();
        var v6 = new List<(BigInteger Start, BigInteger End)>();
        foreach (var block in blocks)
        {
            var bits = block.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            var start = new BigInteger(block.BaseAddress.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
            var end = start + (BigInteger.One << (bits - block.PrefixLength)) - 1;
            (bits == 32 ? v4 : v6).Add((start, end));
        }

        var result = new List<IPNetwork>();
        result.AddRange(ToBlocks(Merge(v4), 32));
        result.AddRange(ToBlocks(Merge(v6), 128));
        return result;
    }

    private static List<(BigInteger Start, BigInteger End)> Merge(List<(BigInteger Start, BigInteger End)> ranges)
    {
        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<(BigInteger Start, BigInteger End)>();
        foreach (var range in ranges)
        {
            if (merged.Count > 0 && range.Start <= merged[^1].End + 1)
            {
                merged[^1] = (merged[^1].Start, BigInteger.Max(merged[^1].End, range.End));
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }

    private static IEnumerable<IPNetwork> ToBlocks(List<(BigInteger Start, BigInteger End)> ranges, int bits)
    {
        foreach (var (rangeStart, end) in ranges)
        {
            var start = rangeStart;
            while (start <= end)
            {
                // The largest block aligned at start that does not pass end.
                var size = bits;
                while (size > 0 && (start & ((BigInteger.One << (bits - size + 1)) - 1)) == 0
                    && start + (BigInteger.One << (bits - size + 1)) - 1 <= end)
                {
                    size--;
                }

                var bytes = start.ToByteArray(isUnsigned: true, isBigEndian: true);
                var full = new byte[bits / 8];
                bytes.CopyTo(full, full.Length - bytes.Length);
                yield return new IPNetwork(new IPAddress(full), size);
                start += BigInteger.One << (bits - size);
            }
        }
    }

    private static void Walk(JsonElement element, List<IPNetwork> blocks)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, blocks);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, blocks);
                }

                break;
            case JsonValueKind.String when element.GetString() is { } value && value.Contains('/') && TryBlock(value, out var block):
                blocks.Add(block);
                break;
        }
    }

    private static bool TryBlock(string text, out IPNetwork block)
    {
        if (IPNetwork.TryParse(text, out block))
        {
            return true;
        }

        // A bare address, or a block written with host bits set: keep what it names.
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || (!addressText.Contains('.') && !addressText.Contains(':')))
        {
            return false;
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = slash < 0 ? bits : int.TryParse(text[(slash + 1)..], out var p) && p >= 0 && p <= bits ? p : -1;
        if (prefix < 0)
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bits; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        block = new IPNetwork(new IPAddress(bytes), prefix);
        return true;
    }

    private async Task<string> ReadAsync(string location, CancellationToken cancellationToken) =>
        Uri.TryCreate(location, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? await http.GetStringAsync(uri, cancellationToken)
            : await File.ReadAllTextAsync(location, cancellationToken);
}
