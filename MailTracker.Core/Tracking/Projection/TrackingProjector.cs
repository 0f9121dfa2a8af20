using System.Net;
using MailTracker.Core.Data;
using MailTracker.Core.Notifications;
using MailTracker.Core.Tracking.Intake;
using MailTracker.Core.Tracking.Verdicts;
using MailTracker.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Tracking.Projection;

/// <summary>
/// Turns the intake into what users see. One loop reads the entries after its cursor in large batches, judges each
/// hit with its message's recent hits in view (<see cref="VerdictEngine"/>), and in one transaction per batch writes
/// the events with their verdicts, re-judges the message's still provisional events, sets each touched message's (and
/// link's) summary once from the hits whose verdict settled as counted, creates or bumps bell entries, and
/// acknowledges the batch (advances the cursor): every entry is projected exactly once, across kill -9 and restarts.
/// Provisional verdicts settle when later hits decide them or their settle window passes (a sweep). After each commit
/// it tells the owners' browsers.
/// </summary>
public sealed partial class TrackingProjector(
    IDbContextFactory<MailTrackerDbContext> contextFactory,
    ITrackingIntake intake,
    TokenIndex tokens,
    VerdictEngine engine,
    SenderSessions senderSessions,
    IpAnonymizer anonymizer,
    ProjectionSignal signal,
    IUserPush push,
    WebhookQueue webhooks,
    IOptions<TrackingOptions> trackingOptions,
    IOptions<VerdictOptions> verdictOptions,
    IOptions<NotificationOptions> notificationOptions,
    TrackingMetrics metrics,
    TimeProvider time,
    ILogger<TrackingProjector> logger) : BackgroundService
{
    // Enough for every rule's window on a normally busy message; the engine's message passes grow with the square of it.
    private const int MaxContextHits = 16;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan FloodWindow = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxFloodPause = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxFloodLag = TimeSpan.FromSeconds(30);
    private readonly RecentHits _recent = new();
    private ProjectionStatements? _statements;
    private long? _lastThrough;
    private DateTime _lastStoredSweep = DateTime.MinValue;

    /// <summary>How old the oldest hit of the last batch was when it was read, in seconds (0 when idle).</summary>
    public double LagSeconds { get; private set; }

    /// <summary>Entries left after the last batch (0 when it was not full).</summary>
    public long LastBacklog { get; private set; }

    /// <summary>When this projector last projected a batch or found nothing to do.</summary>
    public DateTime LastProgressAt { get; private set; } = DateTime.UtcNow;

    /// <summary>How many intake entries wait to be projected.</summary>
    public async Task<long> BacklogAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await intake.BacklogAsync(db, cancellationToken);
    }

    /// <summary>How far back a message's hits are kept in view for the next verdicts.</summary>
    private TimeSpan ContextWindow => TimeSpan.FromSeconds(Math.Max(verdictOptions.Value.AgentSwitchWindowSeconds, verdictOptions.Value.SettleWindowSeconds) + verdictOptions.Value.BurstWindowSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastTrim = DateTime.MinValue;
        var active = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var full = false;
            try
            {
                if (!await intake.TryBecomeProjectorAsync(stoppingToken))
                {
                    // Another instance projects; this one stands by and takes over when that one goes.
                    active = false;
                    await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                    continue;
                }

                if (!active)
                {
                    // What another projector did meanwhile is not in memory here.
                    _recent.Clear();
                    active = true;
                }

                var started = Environment.TickCount64;
                full = await ProjectBatchAsync(stoppingToken) >= trackingOptions.Value.ProjectionBatchSize;
                var share = trackingOptions.Value.ProjectorShareUnderLoad;
                if (full && share < 1 && signal.AppendedWithin(FloodWindow) && LagSeconds < MaxFloodLag.TotalSeconds)
                {
                    // A flood: leave the endpoints the rest of the processor; the backlog waits in the intake, but never
                    // so long that what is on screen falls more than MaxFloodLag behind.
                    var pause = TimeSpan.FromMilliseconds((Environment.TickCount64 - started) * (1 / share - 1));
                    await DelayAsync(pause < MaxFloodPause ? pause : MaxFloodPause, stoppingToken);
                }

                if (!full)
                {
                    await SettleDueAsync(stoppingToken);
                    if (DateTime.UtcNow - lastTrim > TimeSpan.FromSeconds(1))
                    {
                        await using var db = await contextFactory.CreateDbContextAsync(stoppingToken);
                        await intake.TrimAsync(db, stoppingToken);
                        lastTrim = DateTime.UtcNow;
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Nothing was acknowledged, so the same entries are read again; wait a moment so a lasting fault does not spin.
                LogBatchFailed(ex);
                _recent.Clear();
                await DelayAsync(TimeSpan.FromSeconds(1), stoppingToken);
                continue;
            }

            if (!full)
            {
                try
                {
                    await signal.WaitAsync(Poll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Projects one batch; returns how many entries it covered (0: nothing to do).</summary>
    internal async Task<int> ProjectBatchAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var batch = await intake.ReadNextAsync(db, trackingOptions.Value.ProjectionBatchSize, cancellationToken);
        if (batch.Entries.Count == 0)
        {
            (LagSeconds, LastBacklog, LastProgressAt) = (0, 0, time.GetUtcNow().UtcDateTime);
            return 0;
        }

        LagSeconds = Math.Max(0, (time.GetUtcNow().UtcDateTime - batch.Entries[0].Hit.At).TotalSeconds);

        if (_lastThrough is { } last && batch.After != last)
        {
            _recent.Clear(); // another projector (another instance on this SQLite file) projected in between
        }

        var targets = await tokens.ResolveManyAsync(batch.Entries.Where(e => e.Hit.Token is not null).Select(e => e.Hit.Token!), cancellationToken);
        var arrivals = new Dictionary<long, List<Arrival>>();
        foreach (var entry in batch.Entries)
        {
            var hit = entry.Hit;
            Arrival? arrival = hit.Kind switch
            {
                IntakeKind.Reply when hit.MessageId is { } id => new Arrival(hit, id, null),
                // Only a token of the endpoint's own kind is projected (the endpoint checked it; the rule holds here too).
                IntakeKind.Open or IntakeKind.Click when hit.Token is not null && targets.TryGetValue(hit.Token, out var target) && (int)target.Kind == (int)hit.Kind
                    => new Arrival(hit, target.MessageId, target),
                _ => null,
            };
            if (arrival is not null)
            {
                (arrivals.TryGetValue(arrival.MessageId, out var list) ? list : arrivals[arrival.MessageId] = []).Add(arrival);
            }
        }

        var projected = await ApplyAsync(db, batch, arrivals, cancellationToken);
        if (projected)
        {
            LastProgressAt = time.GetUtcNow().UtcDateTime;
            LastBacklog = batch.Entries.Count >= trackingOptions.Value.ProjectionBatchSize ? await intake.BacklogAsync(db, cancellationToken) : 0;
            _lastThrough = batch.Through;
            return batch.Entries.Count;
        }

        return 0;
    }

    /// <summary>Settles the provisional verdicts whose window has passed with nothing more to decide them.</summary>
    internal async Task SettleDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var due = now - TimeSpan.FromSeconds(verdictOptions.Value.SettleWindowSeconds);
        var messages = _recent.WithUnsettledBefore(due).ToHashSet();
        if (DateTime.UtcNow - _lastStoredSweep > TimeSpan.FromSeconds(5))
        {
            // Provisional events this process does not hold in memory (written before a restart, or by another instance).
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            messages.UnionWith(await db.TrackingEvents.AsNoTracking().Where(e => !e.Settled && e.OccurredAt <= due)
                .Select(e => e.MessageId).Distinct().OrderBy(id => id).Take(500).ToListAsync(cancellationToken));
            _lastStoredSweep = DateTime.UtcNow;
        }

        if (messages.Count > 0)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            await ApplyAsync(db, null, messages.ToDictionary(id => id, _ => new List<Arrival>()), cancellationToken);
        }
    }

    /// <summary>
    /// Judges and writes the arrivals of each message (none for a sweep) with its recent hits in view, in one
    /// transaction with the batch's acknowledgement. False when another projector acknowledged the batch first.
    /// </summary>
    private async Task<bool> ApplyAsync(MailTrackerDbContext db, IntakeBatch? batch, Dictionary<long, List<Arrival>> arrivals, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var states = await LoadStatesAsync(db, arrivals, cancellationToken);
        var sessions = await senderSessions.RecentAsync(states.Values.Select(s => s.OwnerId), cancellationToken);

        var newEvents = new List<(MessageState State, RecentHit Hit, TrackingEvent Event)>();
        var rejudged = new List<TrackingEvent>();
        var countedNow = new List<(MessageState State, RecentHit Hit)>();
        foreach (var (messageId, list) in arrivals)
        {
            if (!states.TryGetValue(messageId, out var state))
            {
                continue; // its message was deleted after the hit: nothing left to show it on
            }

            var fresh = new List<RecentHit>();
            foreach (var arrival in list)
            {
                if (arrival.Hit.Kind == IntakeKind.Reply)
                {
                    // A reply is evidence once: sync may hand the same reply in again after a crash between its two commits.
                    if (state.KnownReplies.Add((arrival.Hit.At, arrival.Hit.Actor)))
                    {
                        var reply = RecentHit.Reply(arrival.Hit);
                        fresh.Add(reply);
                        newEvents.Add((state, reply, reply.ToEvent(messageId, anonymizer)));
                        countedNow.Add((state, reply));
                    }

                    continue;
                }

                var recent = RecentHit.From(arrival.Hit, arrival.Target!);
                fresh.Add(recent);
            }

            var hits = state.Hits.Concat(fresh.Where(f => !f.IsReply)).OrderBy(h => h.Input.At).ToList();
            var context = new MessageContext(state.SentAt, state.Links, state.Recipients, sessions.GetValueOrDefault(state.OwnerId) ?? []);
            var judged = JudgeEachCopy(context, hits, now);
            for (var i = 0; i < hits.Count; i++)
            {
                var hit = hits[i];
                var verdict = judged[i];
                var before = hit.Judged;
                if (before is { Settled: true })
                {
                    continue; // settled verdicts are final
                }

                hit.Judged = verdict;
                if (before is null)
                {
                    newEvents.Add((state, hit, hit.ToEvent(messageId, anonymizer)));
                }
                else if (hit.EventId is { } id && (verdict.Settled || verdict.Verdict != before.Verdict || verdict.Reason != before.Reason))
                {
                    rejudged.Add(hit.ToEvent(messageId, anonymizer, id));
                }

                if (verdict.Settled)
                {
                    countedNow.Add((state, hit));
                }
            }

            state.Hits.AddRange(fresh.Where(f => !f.IsReply));
        }

        // The summaries follow settled verdicts only; an event is counted once, when it settles.
        var summaries = new Dictionary<long, TrackingSummary>();
        var links = await LinkSummariesAsync(
            db, countedNow.Where(c => !c.Hit.IsReply && c.Hit.Judged!.Counted && c.Hit.Target!.LinkId is not null).Select(c => c.Hit.Target!.LinkId!.Value), cancellationToken);
        var ringing = new List<Ringing>();
        foreach (var (state, hit) in countedNow)
        {
            var summary = summaries.TryGetValue(state.MessageId, out var s) ? s : state.Summary;
            var verdict = hit.Judged!;
            if (hit.IsReply)
            {
                ringing.Add(new Ringing(state, hit, summary, BellCause.Reply));
                summary = summary.RecordReply(hit.Input.At);
            }
            else if (verdict.Counted)
            {
                ringing.Add(new Ringing(state, hit, summary, BellCause.Counted));
                summary = summary.Record(hit.Input.Kind, hit.Input.At);
                if (hit.Target!.LinkId is { } linkId && links.TryGetValue(linkId, out var link))
                {
                    links[linkId] = link.RecordClick(hit.Input.At);
                }
            }
            else if (verdict.Verdict == Verdict.PrivacyProxy && hit.Input.Kind == TrackingKind.Open)
            {
                ringing.Add(new Ringing(state, hit, summary, BellCause.ApplePrivacy));
                summary = summary.RecordPrivacyFetch();
            }

            summaries[state.MessageId] = summary;
        }

        var rung = await RingAsync(db, ringing, now, cancellationToken);
        var hooked = await QueueWebhooksAsync(db, countedNow, cancellationToken);

        _statements ??= new ProjectionStatements(db);
        var provisional = newEvents.Where(e => !e.Event.Settled).ToList();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await _statements.ExecuteAsync(
                db,
                newEvents.Where(e => e.Event.Settled).Select(e => e.Event),
                rejudged,
                summaries.Select(s => (s.Key, s.Value)),
                links.Select(l => (l.Key, l.Value)),
                cancellationToken);
            // Provisional events get their ids back: they are judged again as later hits come or their window passes.
            db.TrackingEvents.AddRange(provisional.Select(p => p.Event));
            await db.SaveChangesAsync(cancellationToken);
            if (batch is not null && !await intake.AcknowledgeAsync(db, batch, cancellationToken))
            {
                // Another projector (another instance on the same SQLite file) got there first: its work stands.
                await transaction.RollbackAsync(cancellationToken);
                _recent.Clear();
                return false;
            }

            // The projection must be kept even if the app is stopping now.
            await transaction.CommitAsync(CancellationToken.None);
        }

        foreach (var (_, hit, ev) in provisional)
        {
            hit.EventId = ev.Id;
        }

        foreach (var (id, summary) in summaries)
        {
            states[id].Summary = summary;
        }

        foreach (var (_, hit) in countedNow)
        {
            metrics.RecordSettled(hit.Judged!.Verdict, hit.IsReply || hit.Judged.Counted);
        }

        if (hooked > 0)
        {
            webhooks.Wake();
        }

        _recent.Keep(states.Values, now - ContextWindow, MaxContextHits);
        await PublishAsync(countedNow.Where(c => c.Hit.IsReply || c.Hit.Judged!.Counted || c.Hit.Judged!.Verdict == Verdict.PrivacyProxy).Select(c => c.State).Distinct(), rung);
        return true;
    }

    /// <summary>
    /// Judges a message's hits. Tracked per recipient, each recipient's copy is judged on its own hits (as if it were a
    /// message to one person): two colleagues opening from one office network are not one scanner's burst, and a
    /// scanner, Apple's proxy or the sender on one copy says nothing about the others.
    /// </summary>
    private IReadOnlyList<JudgedHit> JudgeEachCopy(MessageContext context, List<RecentHit> hits, DateTime now)
    {
        if (hits.Count == 0)
        {
            return [];
        }

        if (hits.TrueForAll(h => h.Recipient is null))
        {
            return engine.Judge(context, hits.Select(h => h.Input).ToList(), now);
        }

        var judged = new JudgedHit[hits.Count];
        foreach (var copy in Enumerable.Range(0, hits.Count).GroupBy(i => hits[i].Recipient))
        {
            var indexes = copy.ToList();
            var verdicts = engine.Judge(context with { RecipientsInMessage = 1 }, indexes.Select(i => hits[i].Input).ToList(), now);
            for (var k = 0; k < indexes.Count; k++)
            {
                judged[indexes[k]] = verdicts[k];
            }
        }

        return judged;
    }

    /// <summary>The touched messages' recent hits and facts, from memory where this projector has them, else from the database.</summary>
    private async Task<Dictionary<long, MessageState>> LoadStatesAsync(MailTrackerDbContext db, Dictionary<long, List<Arrival>> arrivals, CancellationToken cancellationToken)
    {
        var states = new Dictionary<long, MessageState>();
        var missing = new List<long>();
        foreach (var id in arrivals.Keys)
        {
            if (_recent.TryGet(id, out var state))
            {
                states[id] = state;
            }
            else
            {
                missing.Add(id);
            }
        }

        // The summary is read fresh for every message (another instance on the same SQLite file may have projected
        // meanwhile); the message's fixed facts only for those not yet in memory.
        var ids = arrivals.Keys.ToList();
        var summaries = await db.Messages.AsNoTracking().Where(m => ids.Contains(m.Id))
            .Select(m => new
            {
                m.Id,
                Summary = new TrackingSummary(m.OpenCount, m.FirstOpenedAt, m.LastOpenedAt, m.ClickCount, m.FirstClickedAt, m.LastClickedAt, m.PrivacyOpenCount, m.OpenInferred),
            })
            .ToDictionaryAsync(m => m.Id, m => m.Summary, cancellationToken);
        var facts = missing.Count == 0
            ? []
            : await db.Messages.AsNoTracking().Where(m => missing.Contains(m.Id))
                .Select(m => new { m.Id, m.OwnerId, m.SentAt, m.To, m.Cc, m.Subject, Links = db.TrackedLinks.Count(l => l.MessageId == m.Id && !l.Hidden) })
                .ToDictionaryAsync(m => m.Id, cancellationToken);
        foreach (var id in ids)
        {
            if (!summaries.TryGetValue(id, out var summary))
            {
                states.Remove(id);
                _recent.Forget(id);
                continue;
            }

            if (states.TryGetValue(id, out var known))
            {
                known.Summary = summary;
            }
            else if (facts.TryGetValue(id, out var f))
            {
                var recipients = Messages.AddressFormat.Parse(f.To).Count + Messages.AddressFormat.Parse(f.Cc).Count;
                states[id] = new MessageState(id, f.OwnerId, f.SentAt, f.Links, Math.Max(1, recipients), f.Subject, Messages.AddressFormat.FirstDisplayName(f.To))
                {
                    Summary = summary,
                };
            }
        }

        missing.RemoveAll(id => !states.ContainsKey(id));
        if (missing.Count > 0)
        {
            var since = arrivals.Where(a => missing.Contains(a.Key)).SelectMany(a => a.Value).Select(a => a.Hit.At).DefaultIfEmpty(time.GetUtcNow().UtcDateTime).Min() - ContextWindow;
            var stored = await (
                    from e in db.TrackingEvents.AsNoTracking()
                    where missing.Contains(e.MessageId) && (e.OccurredAt >= since || !e.Settled)
                    join l in db.TrackedLinks on e.TrackedLinkId equals (long?)l.Id into links
                    from l in links.DefaultIfEmpty()
                    select new
                    {
                        e.Id, e.MessageId, e.Kind, e.TrackedLinkId, e.OccurredAt, e.Verdict, e.Counted, e.Reason, e.ClientClass, e.Settled, e.Head,
                        e.UserAgent, e.IpAddress, e.Recipient,
                        Ordinal = l == null ? (int?)null : l.Ordinal,
                        Hidden = l != null && l.Hidden,
                        Url = l == null ? null : l.Url,
                    })
                .ToListAsync(cancellationToken);
            foreach (var e in stored.OrderBy(e => e.OccurredAt))
            {
                var state = states[e.MessageId];
                if (e.Verdict == Verdict.Reply)
                {
                    state.KnownReplies.Add((e.OccurredAt, e.Recipient));
                    continue;
                }

                // Stored addresses may be truncated (Tracking:IpAnonymization); the network part the verdicts look at remains.
                var input = new HitInput(e.Kind, e.Head ? "HEAD" : "GET", e.UserAgent, IPAddress.TryParse(e.IpAddress, out var ip) ? ip : null, e.OccurredAt, e.Ordinal, e.Hidden, false);
                var target = new TokenTarget("", e.Kind, e.MessageId, state.OwnerId, e.TrackedLinkId, e.Url, e.Recipient, state.SentAt, state.Subject,
                    e.Recipient ?? state.Actor, e.Ordinal, e.Hidden);
                state.Hits.Add(new RecentHit(input, target, e.Recipient)
                {
                    EventId = e.Id,
                    Judged = new JudgedHit(e.Verdict, e.Counted || (!e.Settled && Verdicts.VerdictEngine.Counts(e.Verdict)), e.Reason ?? "", e.ClientClass, e.Settled),
                });
            }

            // Replies older than the window are still evidence already taken.
            var replies = await db.TrackingEvents.AsNoTracking().Where(e => missing.Contains(e.MessageId) && e.Verdict == Verdict.Reply)
                .Select(e => new { e.MessageId, e.OccurredAt, e.Recipient }).ToListAsync(cancellationToken);
            foreach (var r in replies)
            {
                states[r.MessageId].KnownReplies.Add((r.OccurredAt, r.Recipient));
            }
        }

        return states;
    }

    /// <summary>
    /// Queues a webhook delivery for each settled hit an endpoint wants (in the batch's transaction, so a hit is reported
    /// exactly when it is projected): replies always, opens and clicks that counted, and the others for endpoints asking
    /// for all hits. Costs nothing when no endpoint is enabled.
    /// </summary>
    private async Task<int> QueueWebhooksAsync(MailTrackerDbContext db, List<(MessageState State, RecentHit Hit)> settled, CancellationToken cancellationToken)
    {
        if (settled.Count == 0)
        {
            return 0;
        }

        var subscribers = await webhooks.EnabledAsync(cancellationToken);
        if (subscribers.Count == 0)
        {
            return 0;
        }

        static WebhookEvents KindOf(RecentHit hit) =>
            hit.IsReply ? WebhookEvents.MessageReplied : hit.Input.Kind == TrackingKind.Click ? WebhookEvents.LinkClicked : WebhookEvents.MessageOpened;
        var wanted = settled.Where(s => WebhookQueue.Wanted(subscribers, KindOf(s.Hit), s.Hit.IsReply || s.Hit.Judged!.Counted)).ToList();
        if (wanted.Count == 0)
        {
            return 0;
        }

        var ids = wanted.Select(w => w.State.MessageId).Distinct().ToList();
        var messages = await db.Messages.AsNoTracking().Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.FromAddress, m.To, m.Cc }).ToDictionaryAsync(m => m.Id, cancellationToken);
        var added = 0;
        foreach (var (state, hit) in wanted.OrderBy(w => w.Hit.Input.At))
        {
            var message = messages.GetValueOrDefault(state.MessageId);
            var only = message is null ? null : Messages.AddressFormat.Parse(message.To).Concat(Messages.AddressFormat.Parse(message.Cc)).ToList();
            var kind = KindOf(hit);
            added += webhooks.Enqueue(db, subscribers, kind, new WebhookPayload
            {
                Type = WebhookEventNames.Of(kind),
                Time = hit.Input.At,
                MessageId = state.MessageId,
                Subject = state.Subject,
                From = message?.FromAddress,
                Recipient = hit.Recipient ?? (only is { Count: 1 } ? only[0].Address : null),
                Verdict = hit.IsReply ? null : System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(hit.Judged!.Verdict.ToString()), // image_proxy, privacy_proxy…
                Counted = hit.IsReply ? null : hit.Judged!.Counted,
                Reason = hit.IsReply ? null : hit.Judged!.Reason,
                Link = kind == WebhookEvents.LinkClicked ? hit.Target?.Url : null,
            });
        }

        return added;
    }

    /// <summary>The click summaries of the links counted clicks in this batch went to, in one query.</summary>
    private static async Task<Dictionary<long, LinkSummary>> LinkSummariesAsync(MailTrackerDbContext db, IEnumerable<long> linkIds, CancellationToken cancellationToken)
    {
        var ids = linkIds.Distinct().ToList();
        return ids.Count == 0
            ? []
            : await db.TrackedLinks.AsNoTracking().Where(l => ids.Contains(l.Id))
                .ToDictionaryAsync(l => l.Id, l => new LinkSummary(l.ClickCount, l.FirstClickedAt, l.LastClickedAt), cancellationToken);
    }

    /// <summary>
    /// Rings the senders' bells (by their <see cref="BellPreferences"/>, read once for the batch, and <see cref="BellRules"/>),
    /// as tracked entities of <paramref name="db"/>. An entry made in the sender's quiet hours is marked silent: it counts
    /// on the badge, but the browser is not told to announce it.
    /// </summary>
    private async Task<List<(Notification Entry, bool Silent)>> RingAsync(MailTrackerDbContext db, List<Ringing> ringing, DateTime now, CancellationToken cancellationToken)
    {
        var rung = new List<(Notification Entry, bool Silent)>();
        if (ringing.Count == 0)
        {
            return rung;
        }

        var quiet = TimeSpan.FromMinutes(notificationOptions.Value.QuietPeriodMinutes);
        var ids = ringing.Select(r => r.State.MessageId).Distinct().ToList();
        var since = ringing.Min(r => r.Hit.Input.At) - quiet;
        var bell = (await db.Notifications.Where(n => ids.Contains(n.MessageId) && n.UpdatedAt >= since && n.FollowUp == null).ToListAsync(cancellationToken))
            .GroupBy(n => n.MessageId).ToDictionary(g => g.Key, g => g.ToList());
        var owners = ringing.Select(r => r.State.OwnerId).Distinct().ToList();
        var rules = await NotificationRules.LoadAsync(db, owners, cancellationToken);
        var names = await RecipientNamesAsync(db, ringing, cancellationToken);
        var bellRules = new BellRules(quiet);
        foreach (var (state, hit, before, cause) in ringing.OrderBy(r => r.Hit.Input.At))
        {
            if (!rules.TryGetValue(state.OwnerId, out var owner))
            {
                continue;
            }

            // A reply has no token: its entry names who replied and stands for an open (a reply proves the read).
            var target = hit.Target ?? new TokenTarget("", TrackingKind.Open, state.MessageId, state.OwnerId, null, null, hit.Recipient, state.SentAt, state.Subject,
                string.IsNullOrEmpty(hit.Recipient) ? state.Actor : hit.Recipient);

            // Tracked per recipient, the bell names who: the person's name when the address is a contact's, else the address.
            if (hit.Target?.Recipient is { } recipient)
            {
                target = target with { Actor = names.GetValueOrDefault((state.OwnerId, recipient)) ?? recipient };
            }
            var entries = bell.TryGetValue(state.MessageId, out var list) ? list : bell[state.MessageId] = [];
            var wanted = BellRules.Wants(owner.Preferences, target.Kind, cause, before, hit.Input.At);
            if (bellRules.Ring(entries, target, hit.Input.At, wanted, cause) is { } entry)
            {
                if (db.Entry(entry).State == EntityState.Detached)
                {
                    db.Notifications.Add(entry);
                }

                rung.Add((entry, owner.Preferences.IsQuiet(now, owner.Zone)));
            }
        }

        return rung;
    }

    /// <summary>The owners' contacts' names for the recipients of per-recipient hits, in one query.</summary>
    private static async Task<Dictionary<(string OwnerId, string Address), string>> RecipientNamesAsync(
        MailTrackerDbContext db, List<Ringing> ringing, CancellationToken cancellationToken)
    {
        var addresses = ringing.Where(r => r.Hit.Target?.Recipient is not null).Select(r => r.Hit.Target!.Recipient!).Distinct().ToList();
        if (addresses.Count == 0)
        {
            return [];
        }

        var owners = ringing.Select(r => r.State.OwnerId).Distinct().ToList();
        var rows = await (
                from e in db.PersonEmails.AsNoTracking()
                where owners.Contains(e.OwnerId) && addresses.Contains(e.Address)
                join p in db.People on e.PersonId equals p.Id
                select new { e.OwnerId, e.Address, p.Name })
            .ToListAsync(cancellationToken);
        return rows.Where(r => !string.IsNullOrWhiteSpace(r.Name)).GroupBy(r => (r.OwnerId, r.Address)).ToDictionary(g => g.Key, g => g.First().Name);
    }

    private async Task PublishAsync(IEnumerable<MessageState> changed, List<(Notification Entry, bool Silent)> rung)
    {
        // A silent entry (quiet hours) is not named: the bell recounts from the push, and nothing pops up.
        var entryByMessage = rung.Where(r => !r.Silent).GroupBy(r => r.Entry.MessageId).ToDictionary(g => g.Key, g => g.Last().Entry.Id);
        foreach (var state in changed)
        {
            try
            {
                await push.PushAsync(state.OwnerId, new UserPushEvent(UserPushKinds.Tracking, state.MessageId, entryByMessage.TryGetValue(state.MessageId, out var id) ? id : null));
            }
            catch (Exception ex)
            {
                // The projection is committed; a failed push only delays what the UI shows until it reloads.
                LogPushFailed(ex, state.MessageId);
            }
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Projecting a batch of tracking hits failed; it will be read again")]
    private partial void LogBatchFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling the browsers about message {MessageId} failed")]
    private partial void LogPushFailed(Exception exception, long messageId);

    /// <summary>An intake entry for a known message: a hit (with what its token points at) or a reply.</summary>
    private sealed record Arrival(IntakeHit Hit, long MessageId, TokenTarget? Target);

    /// <summary>A hit that may ring the bell, with its message's summary from before it was counted (the rules look at it).</summary>
    private sealed record Ringing(MessageState State, RecentHit Hit, TrackingSummary Before, BellCause Cause);
}
