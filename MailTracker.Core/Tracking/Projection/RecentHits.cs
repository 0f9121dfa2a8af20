using System.Net;
using MailTracker.Core.Tracking.Intake;
using MailTracker.Core.Tracking.Verdicts;

namespace MailTracker.Core.Tracking.Projection;

/// <summary>What the projector keeps in view of one message between batches: its facts, summary and recent hits.</summary>
internal sealed class MessageState(long messageId, string ownerId, DateTime? sentAt, int links, int recipients, string subject, string actor)
{
    public long MessageId { get; } = messageId;

    public string OwnerId { get; } = ownerId;

    public DateTime? SentAt { get; } = sentAt;

    /// <summary>Visible tracked links (the honeypot not counted).</summary>
    public int Links { get; } = links;

    public int Recipients { get; } = recipients;

    public string Subject { get; } = subject;

    public string Actor { get; } = actor;

    public TrackingSummary Summary { get; set; }

    /// <summary>Hits within the context window (and any still provisional), oldest first.</summary>
    public List<RecentHit> Hits { get; } = [];

    /// <summary>Replies already taken as evidence: (time, from).</summary>
    public HashSet<(DateTime At, string? From)> KnownReplies { get; } = [];

    public DateTime LastTouched { get; set; }
}

/// <summary>One hit as the verdict engine sees it, with its current verdict and, once written provisionally, its event id.</summary>
internal sealed class RecentHit(HitInput input, TokenTarget? target, string? recipient)
{
    public HitInput Input { get; } = input;

    public TokenTarget? Target { get; set; } = target;

    public string? Recipient { get; } = recipient;

    public bool IsReply { get; private init; }

    public long? EventId { get; set; }

    public JudgedHit? Judged { get; set; }

    public static RecentHit From(IntakeHit hit, TokenTarget target) => new(
        new HitInput(
            target.Kind,
            hit.Head ? "HEAD" : "GET",
            hit.UserAgent,
            IPAddress.TryParse(hit.ClientIp, out var ip) ? ip : null,
            hit.At,
            target.LinkOrdinal,
            target.LinkHidden,
            hit.SenderUserId is { } user && user == target.OwnerId),
        target,
        target.Recipient);

    public static RecentHit Reply(IntakeHit hit) => new(new HitInput(TrackingKind.Open, "GET", null, null, hit.At, null, false, false), null, hit.Actor)
    {
        IsReply = true,
        Judged = new JudgedHit(Verdict.Reply, true, "replied: the message was read", ClientClass.Unknown, true),
    };

    /// <summary>The event row for this hit as judged now (<paramref name="id"/> for an update of a stored one).</summary>
    public TrackingEvent ToEvent(long messageId, IpAnonymizer anonymizer, long id = 0)
    {
        var judged = Judged!;
        return new TrackingEvent
        {
            Id = id,
            MessageId = messageId,
            Kind = Input.Kind,
            TrackedLinkId = Target?.LinkId,
            OccurredAt = Input.At,
            Verdict = judged.Verdict,
            Reason = judged.Reason.Length > 200 ? judged.Reason[..200] : judged.Reason,
            ClientClass = judged.ClientClass,
            Settled = judged.Settled,
            Counted = judged.Settled && judged.Counted,
            Head = string.Equals(Input.Method, "HEAD", StringComparison.OrdinalIgnoreCase),
            UserAgent = Input.UserAgent,
            IpAddress = anonymizer.StoredAddress(Input.Ip),
            Recipient = Recipient,
        };
    }
}

/// <summary>
/// The projector's memory of recently touched messages, so a busy message's context is not read back from the
/// database every batch. Only valid while this process is the one projecting: cleared whenever that may not hold.
/// </summary>
internal sealed class RecentHits
{
    private const int MaxMessages = 50_000;
    private readonly Dictionary<long, MessageState> _states = [];

    // The messages holding a provisional hit, so the settle sweep (every poll) looks at those only.
    private readonly HashSet<long> _unsettled = [];

    public bool TryGet(long messageId, out MessageState state) => _states.TryGetValue(messageId, out state!);

    public void Forget(long messageId)
    {
        _states.Remove(messageId);
        _unsettled.Remove(messageId);
    }

    public void Clear()
    {
        _states.Clear();
        _unsettled.Clear();
    }

    public IEnumerable<long> WithUnsettledBefore(DateTime due) =>
        _unsettled.Where(id => _states[id].Hits.Any(h => h.Judged is { Settled: false } && h.Input.At <= due)).ToList();

    /// <summary>Keeps these states, each with its hits since <paramref name="horizon"/> (at most <paramref name="max"/>) and every provisional one.</summary>
    public void Keep(IEnumerable<MessageState> states, DateTime horizon, int max)
    {
        foreach (var state in states)
        {
            state.Hits.RemoveAll(h => h.Judged is { Settled: true } && h.Input.At < horizon);
            var excess = state.Hits.Count - max;
            for (var i = 0; i < state.Hits.Count && excess > 0;)
            {
                if (state.Hits[i].Judged is { Settled: true })
                {
                    state.Hits.RemoveAt(i);
                    excess--;
                }
                else
                {
                    i++;
                }
            }

            state.LastTouched = DateTime.UtcNow;
            _states[state.MessageId] = state;
            if (state.Hits.Exists(h => h.Judged is { Settled: false }))
            {
                _unsettled.Add(state.MessageId);
            }
            else
            {
                _unsettled.Remove(state.MessageId);
            }
        }

        if (_states.Count > MaxMessages)
        {
            foreach (var stale in _states.Values.OrderBy(s => s.LastTouched).Take(_states.Count - MaxMessages / 2).Select(s => s.MessageId).ToList())
            {
                Forget(stale); // a provisional hit forgotten here is still found by the sweep of stored ones
            }
        }
    }
}
