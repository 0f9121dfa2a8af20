using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Tracking.Verdicts;

/// <summary>
/// Judges the hits of one message together: who caused each (a person, a proxy, a scanner, the sender), whether it
/// counts, why, and whether the verdict is settled. Pure and deterministic: the same hits, context and <c>now</c> give
/// the same answer; no database, no clock, no network. See docs/decisions/0011-truthful-verdicts.md.
/// </summary>
public sealed class VerdictEngine(VerdictReferenceData data, IOptions<VerdictOptions> options)
{
    /// <summary>The reason given when a message's opens were inferred from a click.</summary>
    public const string InferredFromClick = "opened: inferred from a click";

    /// <summary>The reason given when a message's opens were inferred from a reply.</summary>
    public const string InferredFromReply = "opened: inferred from a reply";

    /// <summary>Judges every hit of a message, in the order given (time order).</summary>
    /// <param name="message">The message the hits belong to.</param>
    /// <param name="hitsInTimeOrder">All of the message's hits so far, oldest first.</param>
    /// <param name="now">The current time (UTC); hits younger than the settle window may stay provisional.</param>
    public IReadOnlyList<JudgedHit> Judge(MessageContext message, IReadOnlyList<HitInput> hitsInTimeOrder, DateTime now)
    {
        var o = options.Value;
        var hits = hitsInTimeOrder;
        var facts = new HitFacts[hits.Count];
        for (var i = 0; i < hits.Count; i++)
        {
            var hit = hits[i];
            var ip = Normalize(hit.Ip);
            var network = data.FindNetwork(ip);
            facts[i] = new HitFacts(
                data.Agents.Classify(hit.UserAgent),
                network,
                ip?.ToString(),
                NetworkKey(ip),
                message.SentAt is { } sent ? (hit.At - sent).TotalSeconds : null,
                SenderMatch(message, hit, ip, network),
                string.Equals(hit.Method, "HEAD", StringComparison.OrdinalIgnoreCase));
        }

        var evidence = new MessageEvidence(hits, facts, message, o);
        var results = new JudgedHit[hits.Count];
        for (var i = 0; i < hits.Count; i++)
        {
            results[i] = JudgeOne(i, hits, facts, evidence, message, now, o);
        }

        return results;
    }

    /// <summary>
    /// Reads that go missing: when no open of the message counted but a click did, or the recipient replied, the message
    /// was opened all the same. Returns the reason to record for that inferred open, or null when none is needed.
    /// </summary>
    public static string? InferOpen(IReadOnlyList<HitInput> hits, IReadOnlyList<JudgedHit> judged, bool replied)
    {
        var countedOpen = false;
        var countedClick = false;
        for (var i = 0; i < hits.Count && i < judged.Count; i++)
        {
            if (!judged[i].Counted)
            {
                continue;
            }

            countedOpen |= hits[i].Kind == TrackingKind.Open;
            countedClick |= hits[i].Kind == TrackingKind.Click;
        }

        return countedOpen ? null : countedClick ? InferredFromClick : replied ? InferredFromReply : null;
    }

    /// <summary>Whether a verdict counts as an open or click.</summary>
    public static bool Counts(Verdict verdict) => verdict is Verdict.Human or Verdict.ImageProxy;

    private static JudgedHit JudgeOne(
        int i, IReadOnlyList<HitInput> hits, HitFacts[] facts, MessageEvidence evidence, MessageContext message, DateTime now, VerdictOptions o)
    {
        var hit = hits[i];
        var f = facts[i];
        var agent = f.Agent;
        var net = f.Network;
        var isClick = hit.Kind == TrackingKind.Click;

        if (f.Sender is { } sender)
        {
            return Settled(Verdict.Sender, sender, agent.ClientClass);
        }

        if (isClick && hit.Hidden)
        {
            return Settled(Verdict.Scanner, "followed the hidden link no person can see", ClientClass.Machine);
        }

        if (f.Head)
        {
            return Settled(Verdict.Scanner, "HEAD probe: evidence only, never a read", ClientClass.Machine);
        }

        switch (agent.Kind)
        {
            case AgentKind.Prefetch:
                return Settled(Verdict.Prefetch, "Gmail send-time prefetch (Edge/12.246 user agent)" + From(net), ClientClass.Proxy);
            case AgentKind.ImageProxy when isClick:
                return Settled(Verdict.Scanner, $"{agent.Name} user agent on a link: proxies fetch images, not links", ClientClass.Machine);
            case AgentKind.ImageProxy:
                return JudgeImageProxy(agent, net, f);
            case AgentKind.PrivacyProxy:
                return net?.Provider is NetworkProvider.ApplePrivateRelay or NetworkProvider.Apple || f.Ip is null
                    ? (isClick
                        ? Settled(Verdict.Scanner, "bare Mozilla/5.0 on a link (Apple's proxy fetches images, not links)", ClientClass.Machine)
                        : Settled(Verdict.PrivacyProxy, "Apple Mail Privacy Protection (bare Mozilla/5.0" + (net is null ? ")" : $", {Describe(net)})"), ClientClass.Proxy))
                    : Settled(isClick ? Verdict.Scanner : Verdict.Unknown, "bare Mozilla/5.0 from outside Apple's networks" + From(net), ClientClass.Machine);
            case AgentKind.Absent:
                return Settled(Verdict.Scanner, "no user agent: an HTTP client, not a mail client or browser" + From(net), ClientClass.Machine);
            case AgentKind.Scanner or AgentKind.Preview or AgentKind.Library or AgentKind.Bot:
                return Settled(Verdict.Scanner, $"{agent.Name} (user agent)" + From(net), ClientClass.Machine);
            case AgentKind.OfficeProbe when isClick || agent.Name.Contains("Existence", StringComparison.Ordinal) || net is not null:
                return Settled(Verdict.Scanner, $"{agent.Name}: Office checks the link before any browser opens it" + From(net), ClientClass.Machine);
        }

        if (f.Ip is not null && evidence.HoneypotAddresses.Contains(f.Ip))
        {
            return Settled(Verdict.Scanner, "same address followed the hidden honeypot link", ClientClass.Machine);
        }

        if (net is not null)
        {
            switch (net.Provider)
            {
                case NetworkProvider.Gateway:
                    return Settled(Verdict.Scanner, $"{net.Name} gateway range {net.Range.Cidr}", ClientClass.Machine);
                case NetworkProvider.ApplePrivateRelay or NetworkProvider.Apple when !isClick:
                    return Settled(Verdict.PrivacyProxy, $"Apple Mail Privacy Protection ({Describe(net)})", ClientClass.Proxy);
                case NetworkProvider.Microsoft or NetworkProvider.Google or NetworkProvider.Cloud when agent.Kind != AgentKind.MailClient:
                    return Settled(Verdict.Scanner, $"{agent.Name} from {Describe(net)}: a hosted scanner, not a reader's network", ClientClass.Machine);
            }
        }

        if (evidence.Burst[i])
        {
            return Settled(Verdict.Scanner, evidence.BurstReason[i]!, ClientClass.Machine);
        }

        if (evidence.Walker[i])
        {
            return Settled(Verdict.Scanner, evidence.WalkerReason[i]!, ClientClass.Machine);
        }

        if (evidence.AgentSwitch[i])
        {
            return Settled(Verdict.Scanner, "one address switching between three or more user agents within a minute", ClientClass.Machine);
        }

        var provisional = (now - hit.At).TotalSeconds < o.SettleWindowSeconds;
        if (isClick && f.SinceSend is { } since && since < o.MinDeliverySeconds && !evidence.OpenedBefore(i))
        {
            return new JudgedHit(
                Verdict.Unknown, false,
                $"clicked {since.ToString("0.#", CultureInfo.InvariantCulture)} s after sending, before delivery could finish, with no open before it",
                agent.ClientClass, !provisional);
        }

        var clientClass = agent.Kind == AgentKind.Browser && !isClick ? ClientClass.Webmail : agent.ClientClass;
        var what = agent.Kind switch
        {
            AgentKind.MailClient => isClick ? $"clicked from {agent.Name}" : $"opened in {agent.Name}",
            AgentKind.Browser => isClick ? $"clicked in {agent.Name}" : $"opened in webmail ({agent.Name})",
            AgentKind.OfficeProbe => "opened in Outlook (ms-office)",
            _ => isClick ? "clicked from an unrecognised client on a reader's network" : "opened by an unrecognised client on a reader's network",
        };
        if (net?.Provider is NetworkProvider.ApplePrivateRelay)
        {
            what += " via iCloud Private Relay";
        }

        if (evidence.OtherReaderBefore(i))
        {
            what += " (another address: a forwardee or another recipient)";
        }

        // A mail client well after delivery is unambiguous; anything else waits for the settle window.
        var settled = !provisional
            || (agent.Kind == AgentKind.MailClient && f.SinceSend is { } after && after >= o.SettleWindowSeconds);
        return new JudgedHit(Verdict.Human, true, what, clientClass, settled);
    }

    private static JudgedHit JudgeImageProxy(AgentInfo agent, NetworkMatch? net, HitFacts f)
    {
        var gmail = agent.Name.StartsWith("Gmail", StringComparison.Ordinal);
        if (gmail && f.Ip is not null && net?.Provider != NetworkProvider.Google)
        {
            return Settled(Verdict.Unknown, "Gmail proxy user agent from outside Google's ranges" + From(net), ClientClass.Unknown);
        }

        return Settled(Verdict.ImageProxy, $"{agent.Name} fetching as the reader opens" + (net is null ? "" : $" ({Describe(net)})"), ClientClass.Proxy);
    }

    private static JudgedHit Settled(Verdict verdict, string reason, ClientClass clientClass) =>
        new(verdict, Counts(verdict), reason, clientClass, true);

    private static string Describe(NetworkMatch net) => net.Provider switch
    {
        NetworkProvider.ApplePrivateRelay => $"iCloud Private Relay egress {net.Range.Cidr}",
        NetworkProvider.Apple => $"Apple network {net.Range.Cidr}",
        NetworkProvider.Cloud => $"{net.Name} hosting range {net.Range.Cidr}",
        _ => $"{net.Name} range {net.Range.Cidr}",
    };

    private static string From(NetworkMatch? net) => net is null ? "" : $", from {Describe(net)}";

    /// <summary>The reason a hit is the sender's own, or null: the cookie, a remembered session's address and agent, or its address alone.</summary>
    private static string? SenderMatch(MessageContext message, HitInput hit, IPAddress? ip, NetworkMatch? network)
    {
        if (hit.SenderCookie)
        {
            return "the sender's own view (sign-in cookie)";
        }

        if (ip is null)
        {
            return null;
        }

        var sameAddress = false;
        foreach (var session in message.SenderSessions)
        {
            var sessionIp = Normalize(session.Ip)!;
            if (sessionIp.Equals(ip) && string.Equals(session.UserAgent, hit.UserAgent, StringComparison.Ordinal))
            {
                return "the sender's own view (matches a signed-in session's address and browser)";
            }

            sameAddress |= SameHost(sessionIp, ip);
        }

        // An address shared by many (a relay, a proxy, a cloud) says nothing about who is behind it.
        return sameAddress && network is null
            ? "the sender's own address (a signed-in session came from it): likely the sender reading a copy"
            : null;
    }

    /// <summary>The same IPv4 address, or the same IPv6 /64 (privacy addresses rotate within it).</summary>
    private static bool SameHost(IPAddress a, IPAddress b)
    {
        if (a.AddressFamily != b.AddressFamily)
        {
            return false;
        }

        if (a.AddressFamily == AddressFamily.InterNetwork)
        {
            return a.Equals(b);
        }

        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        a.TryWriteBytes(x, out _);
        b.TryWriteBytes(y, out _);
        return x[..8].SequenceEqual(y[..8]);
    }

    private static IPAddress? Normalize(IPAddress? ip) => ip is { IsIPv4MappedToIPv6: true } ? ip.MapToIPv4() : ip;

    /// <summary>One network: the /24 of an IPv4 address, the /48 of an IPv6 one.</summary>
    private static string? NetworkKey(IPAddress? ip)
    {
        if (ip is null)
        {
            return null;
        }

        var bytes = ip.GetAddressBytes();
        return ip.AddressFamily == AddressFamily.InterNetwork
            ? $"{bytes[0]}.{bytes[1]}.{bytes[2]}"
            : Convert.ToHexString(bytes, 0, 6);
    }

    private sealed record HitFacts(AgentInfo Agent, NetworkMatch? Network, string? Ip, string? NetKey, double? SinceSend, string? Sender, bool Head);

    /// <summary>What the message's hits say together: bursts, link walks, honeypot followers, agent switching.</summary>
    private sealed class MessageEvidence
    {
        private readonly IReadOnlyList<HitInput> _hits;
        private readonly HitFacts[] _facts;

        public MessageEvidence(IReadOnlyList<HitInput> hits, HitFacts[] facts, MessageContext message, VerdictOptions o)
        {
            _hits = hits;
            _facts = facts;
            var n = hits.Count;
            Burst = new bool[n];
            BurstReason = new string?[n];
            Walker = new bool[n];
            WalkerReason = new string?[n];
            AgentSwitch = new bool[n];
            HoneypotAddresses = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < n; i++)
            {
                if (hits[i].Kind == TrackingKind.Click && hits[i].Hidden && facts[i].Sender is null && facts[i].Ip is { } ip)
                {
                    HoneypotAddresses.Add(ip);
                }
            }

            FindBursts(message.LinksInMessage, o.BurstWindowSeconds);
            FindWalkers(message.LinksInMessage);
            FindAgentSwitching(o.AgentSwitchWindowSeconds);
        }

        public bool[] Burst { get; }

        public string?[] BurstReason { get; }

        public bool[] Walker { get; }

        public string?[] WalkerReason { get; }

        public bool[] AgentSwitch { get; }

        public HashSet<string> HoneypotAddresses { get; }

        /// <summary>A person-like open from the same network came before this hit.</summary>
        public bool OpenedBefore(int index)
        {
            for (var j = 0; j < index; j++)
            {
                if (_hits[j].Kind == TrackingKind.Open && _facts[j].NetKey == _facts[index].NetKey && IsReaderLike(j))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A person-like hit from another network came before this one.</summary>
        public bool OtherReaderBefore(int index)
        {
            for (var j = 0; j < index; j++)
            {
                if (_facts[j].NetKey is { } key && key != _facts[index].NetKey && IsReaderLike(j) && _facts[j].Network is null)
                {
                    return true;
                }
            }

            return false;
        }

        private bool IsReaderLike(int j) =>
            _facts[j].Sender is null && !_facts[j].Head && !_hits[j].Hidden
            && _facts[j].Agent.Kind is AgentKind.MailClient or AgentKind.Browser or AgentKind.Unknown;

        private bool IsCandidateClick(int j) =>
            _hits[j].Kind == TrackingKind.Click && !_hits[j].Hidden && !_facts[j].Head && _facts[j].Sender is null
            && _facts[j].NetKey is not null && _hits[j].LinkIndex is not null;

        private void FindBursts(int links, int windowSeconds)
        {
            if (links < 2)
            {
                return;
            }

            var need = links >= 3 ? 3 : 2;
            var n = _hits.Count;
            var inBurst = new bool[n];
            var distinct = new HashSet<int>();
            for (var i = 0; i < n; i++)
            {
                if (!IsCandidateClick(i))
                {
                    continue;
                }

                distinct.Clear();
                var first = _hits[i].At;
                var last = _hits[i].At;
                for (var j = 0; j < n; j++)
                {
                    if (IsCandidateClick(j) && _facts[j].NetKey == _facts[i].NetKey
                        && Math.Abs((_hits[j].At - _hits[i].At).TotalSeconds) <= windowSeconds)
                    {
                        distinct.Add(_hits[j].LinkIndex!.Value);
                        first = _hits[j].At < first ? _hits[j].At : first;
                        last = _hits[j].At > last ? _hits[j].At : last;
                    }
                }

                if (distinct.Count >= need)
                {
                    inBurst[i] = true;
                    BurstReason[i] = $"{distinct.Count} links clicked within {(last - first).TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s from one network";
                }
            }

            for (var i = 0; i < n; i++)
            {
                if (inBurst[i])
                {
                    Burst[i] = true;
                    continue;
                }

                // The pixel fetched by the same network within the burst is the same machine rendering the mail.
                if (_hits[i].Kind != TrackingKind.Open || _facts[i].NetKey is null)
                {
                    continue;
                }

                for (var j = 0; j < n; j++)
                {
                    if (inBurst[j] && _facts[j].NetKey == _facts[i].NetKey && Math.Abs((_hits[j].At - _hits[i].At).TotalSeconds) <= windowSeconds)
                    {
                        Burst[i] = true;
                        BurstReason[i] = "pixel fetched within a burst of link clicks from the same network";
                        break;
                    }
                }
            }
        }

        private void FindWalkers(int links)
        {
            if (links < 3)
            {
                return;
            }

            var byNetwork = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
            for (var i = 0; i < _hits.Count; i++)
            {
                if (IsCandidateClick(i))
                {
                    var set = byNetwork.TryGetValue(_facts[i].NetKey!, out var s) ? s : byNetwork[_facts[i].NetKey!] = [];
                    set.Add(_hits[i].LinkIndex!.Value);
                }
            }

            for (var i = 0; i < _hits.Count; i++)
            {
                if (IsCandidateClick(i) && byNetwork[_facts[i].NetKey!] is { } set && set.Count >= 3 && set.Count * 5 >= links * 4)
                {
                    Walker[i] = true;
                    WalkerReason[i] = $"one network followed {set.Count} of the {links} links: a link walker";
                }
            }
        }

        private void FindAgentSwitching(int windowSeconds)
        {
            var agents = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < _hits.Count; i++)
            {
                if (_facts[i].Ip is null || _facts[i].Sender is not null || _facts[i].Network?.Provider == NetworkProvider.ApplePrivateRelay)
                {
                    continue;
                }

                agents.Clear();
                for (var j = 0; j < _hits.Count; j++)
                {
                    if (_facts[j].Ip == _facts[i].Ip && _facts[j].Sender is null && _hits[j].UserAgent is { Length: > 0 } agent
                        && Math.Abs((_hits[j].At - _hits[i].At).TotalSeconds) <= windowSeconds)
                    {
                        agents.Add(agent);
                    }
                }

                AgentSwitch[i] = agents.Count >= 3;
            }
        }
    }
}
