using System.Net;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace MailTracker.Core.Tracking.Verdicts;

/// <summary>A hit's address as found in the published ranges.</summary>
public sealed record NetworkMatch(NetworkProvider Provider, string ProviderLabel, RangeMatch Range)
{
    /// <summary>The name to show: the range's own label (a gateway vendor) or the file's.</summary>
    public string Name => string.IsNullOrEmpty(Range.Label) ? ProviderLabel : Range.Label;
}

/// <summary>
/// The verdict engine's reference data, loaded once: user-agent patterns (curated + uap-core) and the published address
/// ranges. Shipped as embedded resources; a refreshed range file in <see cref="VerdictOptions.RangesDirectory"/> replaces
/// the shipped one of the same name.
/// </summary>
public sealed partial class VerdictReferenceData
{
    private const string ResourcePrefix = "MailTracker.Verdicts.";

    private readonly IReadOnlyList<(NetworkProvider Provider, string Label, AddressRangeSet Set)> _networks;

    private VerdictReferenceData(AgentCatalog agents, IReadOnlyList<(NetworkProvider, string, AddressRangeSet)> networks, IReadOnlyList<RangeFileInfo> files)
    {
        Agents = agents;
        _networks = networks;
        Files = files;
    }

    /// <summary>The user-agent classifier.</summary>
    public AgentCatalog Agents { get; }

    /// <summary>Which range files were loaded, from where, and how old they are.</summary>
    public IReadOnlyList<RangeFileInfo> Files { get; }

    /// <summary>Loads the shipped data, with refreshed range files from <paramref name="rangesDirectory"/> where present.</summary>
    public static VerdictReferenceData Load(string? rangesDirectory = null, ILogger? logger = null)
    {
        var agents = AgentCatalog.Load(ReadResource("agent-patterns.tsv"), ReadResource("regexes.json"));
        var networks = new List<(NetworkProvider, string, AddressRangeSet)>();
        var files = new List<RangeFileInfo>();
        foreach (var (fileName, provider) in RangeFile.Known)
        {
            var overridePath = string.IsNullOrEmpty(rangesDirectory) ? null : Path.Combine(rangesDirectory, fileName);
            var fromDisk = overridePath is not null && File.Exists(overridePath);
            var file = RangeFile.Parse(fromDisk ? File.ReadAllText(overridePath!) : ReadResource(fileName), fileName);
            if (file.Provider != provider)
            {
                throw new FormatException($"{fileName} says '# provider: {RangeFile.ProviderName(file.Provider)}', expected {RangeFile.ProviderName(provider)}.");
            }

            var set = AddressRangeSet.Build(file.Ranges.Select(r => (r.Network, r.Label ?? "")));
            networks.Add((provider, file.Label, set));
            var info = new RangeFileInfo(fileName, fromDisk ? overridePath! : "shipped", file.Updated, set.Count.V4, set.Count.V6);
            files.Add(info);
            if (logger is not null)
            {
                LogRangeFile(logger, fileName, info.From, info.Updated, info.V4, info.V6);
            }
        }

        return new VerdictReferenceData(agents, networks, files);
    }

    /// <summary>The first published network (most specific file first) holding the address, or null.</summary>
    public NetworkMatch? FindNetwork(IPAddress? ip)
    {
        if (ip is null)
        {
            return null;
        }

        foreach (var (provider, label, set) in _networks)
        {
            if (set.Find(ip) is { } range)
            {
                return new NetworkMatch(provider, label, range);
            }
        }

        return null;
    }

    private static string ReadResource(string fileName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + fileName)
            ?? throw new InvalidOperationException($"The verdict data file {fileName} is not embedded in MailTracker.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Verdict ranges {File} from {From}, updated {Updated}: {V4} IPv4 and {V6} IPv6 intervals")]
    private static partial void LogRangeFile(ILogger logger, string file, string from, DateOnly updated, int v4, int v6);
}

/// <summary>One loaded range file: its name, where it came from ("shipped" or a path), its date and its size.</summary>
public sealed record RangeFileInfo(string FileName, string From, DateOnly Updated, int V4, int V6);
