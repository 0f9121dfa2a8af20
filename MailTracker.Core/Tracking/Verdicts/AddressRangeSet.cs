using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MailTracker.Core.Tracking.Verdicts;

/// <summary>A range that matched an address: the published CIDR and the label it carries.</summary>
public sealed record RangeMatch(string Cidr, string Label);

/// <summary>
/// Address ranges as sorted, non-overlapping intervals (IPv4 and IPv6 apart), looked up by binary search.
/// Nested ranges keep the outer one; ranges never partly overlap, being CIDR blocks.
/// </summary>
public sealed class AddressRangeSet
{
    private readonly uint[] _v4Start;
    private readonly uint[] _v4End;
    private readonly RangeMatch[] _v4Match;
    private readonly UInt128[] _v6Start;
    private readonly UInt128[] _v6End;
    private readonly RangeMatch[] _v6Match;

    private AddressRangeSet(
        uint[] v4Start, uint[] v4End, RangeMatch[] v4Match, UInt128[] v6Start, UInt128[] v6End, RangeMatch[] v6Match)
    {
        (_v4Start, _v4End, _v4Match, _v6Start, _v6End, _v6Match) = (v4Start, v4End, v4Match, v6Start, v6End, v6Match);
    }

    /// <summary>How many IPv4 and IPv6 intervals the set holds.</summary>
    public (int V4, int V6) Count => (_v4Start.Length, _v6Start.Length);

    /// <summary>Builds a set from CIDR blocks with labels; bad lines are the caller's to reject.</summary>
    public static AddressRangeSet Build(IEnumerable<(IPNetwork Network, string Label)> ranges)
    {
        var v4 = new List<(uint Start, uint End, RangeMatch Match)>();
        var v6 = new List<(UInt128 Start, UInt128 End, RangeMatch Match)>();
        // Special-purpose networks (private, documentation…) are nobody's published range, whatever a file says.
        foreach (var (network, label) in ranges.Where(r => !RangeRefresher.IsSpecialPurpose(r.Network)))
        {
            var match = new RangeMatch(network.ToString(), label);
            if (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork)
            {
                var start = ToUInt32(network.BaseAddress);
                var hostBits = 32 - network.PrefixLength;
                var end = hostBits == 32 ? uint.MaxValue : start | ((1u << hostBits) - 1);
                v4.Add((start, end, match));
            }
            else
            {
                var start = ToUInt128(network.BaseAddress);
                var hostBits = 128 - network.PrefixLength;
                var end = hostBits == 128 ? UInt128.MaxValue : start | ((UInt128.One << hostBits) - 1);
                v6.Add((start, end, match));
            }
        }

        var (s4, e4, m4) = Flatten(v4);
        var (s6, e6, m6) = Flatten(v6);
        return new AddressRangeSet(s4, e4, m4, s6, e6, m6);
    }

    /// <summary>The range holding <paramref name="ip"/>, or null.</summary>
    public RangeMatch? Find(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        return ip.AddressFamily == AddressFamily.InterNetwork
            ? Find(_v4Start, _v4End, _v4Match, ToUInt32(ip))
            : Find(_v6Start, _v6End, _v6Match, ToUInt128(ip));
    }

    private static RangeMatch? Find<T>(T[] starts, T[] ends, RangeMatch[] matches, T value)
        where T : IComparable<T>
    {
        // The last interval starting at or before the value is the only one that can hold it.
        var index = Array.BinarySearch(starts, value);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return index >= 0 && ends[index].CompareTo(value) >= 0 ? matches[index] : null;
    }

    private static (T[] Starts, T[] Ends, RangeMatch[] Matches) Flatten<T>(List<(T Start, T End, RangeMatch Match)> ranges)
        where T : IComparable<T>
    {
        ranges.Sort((a, b) => a.Start.CompareTo(b.Start) is var c && c != 0 ? c : b.End.CompareTo(a.End));
        var starts = new List<T>(ranges.Count);
        var ends = new List<T>(ranges.Count);
        var matches = new List<RangeMatch>(ranges.Count);
        foreach (var (start, end, match) in ranges)
        {
            if (ends.Count > 0 && end.CompareTo(ends[^1]) <= 0)
            {
                continue; // inside the previous block
            }

            starts.Add(start);
            ends.Add(end);
            matches.Add(match);
        }

        return (starts.ToArray(), ends.ToArray(), matches.ToArray());
    }

    internal static uint ToUInt32(IPAddress ip)
    {
        Span<byte> bytes = stackalloc byte[4];
        ip.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    internal static UInt128 ToUInt128(IPAddress ip)
    {
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }
}
