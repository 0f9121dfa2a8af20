using System.Net;
using MailTracker.Core.Data;
using MailTracker.Core.Notifications;
using MailTracker.Core.Tracking.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Tracking.Projection;

/// <summary>
/// Turns the intake into what users see. One loop reads the entries after its cursor in large batches and, in one
/// transaction per batch, writes each hit's event with its verdict, sets each touched message's (and link's)
/// summary once, creates or bumps bell entries, and acknowledges the batch (advances the cursor), so every entry is
/// projected exactly once, across kill -9 and restarts. After the commit it tells the owners' browsers.
/// </summary>
public sealed partial class TrackingProjector(
    IDbContextFactory<MailTrackerDbContext> contextFactory,
    ITrackingIntake intake,
    TokenIndex tokens,
    HitClassifier classifier,
    ProjectionSignal signal,
    IUserPush push,
    IOptions<TrackingOptions> trackingOptions,
    IOptions<NotificationOptions> notificationOptions,
    ILogger<TrackingProjector> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private ProjectionStatements? _statements;
    private long _projected;

    /// <summary>Entries this process has projected since it started.</summary>
    public long Projected => Interlocked.Read(ref _projected);

    /// <summary>How many intake entries wait to be projected.</summary>
    public async Task<long> BacklogAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await intake.BacklogAsync(db, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastTrim = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var full = false;
            try
            {
                if (await intake.TryBecomeProjectorAsync(stoppingToken))
                {
                    full = await ProjectBatchAsync(stoppingToken) >= trackingOptions.Value.ProjectionBatchSize;
                    if (!full && DateTime.UtcNow - lastTrim > TimeSpan.FromSeconds(1))
                    {
                        await using var db = await contextFactory.CreateDbContextAsync(stoppingToken);
                        await intake.TrimAsync(db, stoppingToken);
                        lastTrim = DateTime.UtcNow;
                    }
                }
                else
                {
                    // Another instance projects; this one stands by and takes over when that one goes.
                    await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                    continue;
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
            return 0;
        }

        var targets = await tokens.ResolveManyAsync(batch.Entries.Where(e => e.Hit.Token is not null).Select(e => e.Hit.Token!), cancellationToken);
        var replies = await ReplyTargetsAsync(db, batch, cancellationToken);
        var judged = Judge(batch, targets, replies);

        var messageIds = judged.Select(j => j.Target.MessageId).Distinct().ToList();
        var summaries = await db.Messages.AsNoTracking().Where(m => messageIds.Contains(m.Id))
            .Select(m => new { m.Id, Summary = new TrackingSummary(m.OpenCount, m.FirstOpenedAt, m.LastOpenedAt, m.ClickCount, m.FirstClickedAt, m.LastClickedAt) })
            .ToDictionaryAsync(m => m.Id, m => m.Summary, cancellationToken);
        var linkIds = judged.Where(j => j.Counted && j.Target.LinkId is not null).Select(j => j.Target.LinkId!.Value).Distinct().ToList();
        var links = linkIds.Count == 0
            ? []
            : await db.TrackedLinks.AsNoTracking().Where(l => linkIds.Contains(l.Id))
                .Select(l => new { l.Id, Summary = new LinkSummary(l.ClickCount, l.FirstClickedAt, l.LastClickedAt) })
                .ToDictionaryAsync(l => l.Id, l => l.Summary, cancellationToken);

        var ringing = judged.Where(j => j.Counted && j.Kind != IntakeKind.Reply).ToList();
        var quiet = TimeSpan.FromMinutes(notificationOptions.Value.QuietPeriodMinutes);
        var bell = new Dictionary<long, List<Notification>>();
        Dictionary<string, (bool Open, bool Click)> wants = [];
        if (ringing.Count > 0)
        {
            var ringingIds = ringing.Select(j => j.Target.MessageId).Distinct().ToList();
            var since = ringing.Min(j => j.At) - quiet;
            bell = (await db.Notifications.Where(n => ringingIds.Contains(n.MessageId) && n.UpdatedAt >= since).ToListAsync(cancellationToken))
                .GroupBy(n => n.MessageId).ToDictionary(g => g.Key, g => g.ToList());
            var owners = ringing.Select(j => j.Target.OwnerId).Distinct().ToList();
            wants = await db.Users.AsNoTracking().Where(u => owners.Contains(u.Id))
                .ToDictionaryAsync(u => u.Id, u => (u.NotifyOnOpen, u.NotifyOnClick), cancellationToken);
        }

        var rules = new BellRules(quiet);
        var events = new List<TrackingEvent>(judged.Count);
        var rung = new List<(Notification Entry, JudgedHit Hit)>();
        foreach (var hit in judged)
        {
            if (!summaries.ContainsKey(hit.Target.MessageId))
            {
                continue; // its message was deleted after the hit: nothing left to show it on
            }

            events.Add(hit.ToEvent(classifier));
            if (!hit.Counted)
            {
                continue;
            }

            summaries[hit.Target.MessageId] = summaries[hit.Target.MessageId].Record(hit.Target.Kind, hit.At);
            if (hit.Target.LinkId is { } linkId && links.TryGetValue(linkId, out var link))
            {
                links[linkId] = link.RecordClick(hit.At);
            }

            if (hit.Kind != IntakeKind.Reply)
            {
                var entries = bell.TryGetValue(hit.Target.MessageId, out var list) ? list : bell[hit.Target.MessageId] = [];
                var wanted = wants.TryGetValue(hit.Target.OwnerId, out var w) && (hit.Target.Kind == TrackingKind.Open ? w.Open : w.Click);
                if (rules.Ring(entries, hit.Target, hit.At, wanted) is { } entry)
                {
                    if (entry.Id == 0 && db.Entry(entry).State == EntityState.Detached)
                    {
                        db.Notifications.Add(entry);
                    }

                    rung.Add((entry, hit));
                }
            }
        }

        _statements ??= new ProjectionStatements(db);
        var touched = judged.Where(j => j.Counted).Select(j => j.Target.MessageId).Distinct().Where(summaries.ContainsKey).ToList();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await _statements.ExecuteAsync(
                db,
                events,
                touched.Select(id => (id, summaries[id])),
                links.Where(l => judged.Any(j => j.Counted && j.Target.LinkId == l.Key)).Select(l => (l.Key, l.Value)),
                cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            if (!await intake.AcknowledgeAsync(db, batch, cancellationToken))
            {
                // Another projector (another instance on the same SQLite file) got there first: its work stands.
                await transaction.RollbackAsync(cancellationToken);
                return 0;
            }

            // The projection must be kept even if the app is stopping now.
            await transaction.CommitAsync(CancellationToken.None);
        }

        Interlocked.Add(ref _projected, batch.Entries.Count);
        await PublishAsync(judged, rung);
        return batch.Entries.Count;
    }

    /// <summary>The sent messages that replies in this batch answer, with what a bell or timeline needs of them.</summary>
    private static async Task<Replies> ReplyTargetsAsync(MailTrackerDbContext db, IntakeBatch batch, CancellationToken cancellationToken)
    {
        var ids = batch.Entries.Where(e => e.Hit.Kind == IntakeKind.Reply && e.Hit.MessageId is not null).Select(e => e.Hit.MessageId!.Value).Distinct().ToList();
        if (ids.Count == 0)
        {
            return new Replies([], []);
        }

        var messages = await db.Messages.AsNoTracking().Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.OwnerId, m.SentAt, m.Subject, m.To })
            .ToListAsync(cancellationToken);

        // A reply is evidence once: sync may hand the same reply in again after a crash between its two commits.
        var known = await db.TrackingEvents.AsNoTracking().Where(e => ids.Contains(e.MessageId) && e.Source == HitSource.Reply)
            .Select(e => new { e.MessageId, e.OccurredAt, e.Recipient }).ToListAsync(cancellationToken);
        return new Replies(
            messages.ToDictionary(m => m.Id, m => new TokenTarget("", TrackingKind.Open, m.Id, m.OwnerId, null, null, null, m.SentAt, m.Subject,
                Messages.AddressFormat.FirstDisplayName(m.To))),
            known.Select(k => (k.MessageId, k.OccurredAt, k.Recipient)).ToHashSet());
    }

    /// <summary>The messages replies answer, and the replies already projected (message, time, from).</summary>
    private sealed record Replies(Dictionary<long, TokenTarget> Targets, HashSet<(long MessageId, DateTime At, string? From)> Seen);

    private List<JudgedHit> Judge(IntakeBatch batch, Dictionary<string, TokenTarget> targets, Replies replies)
    {
        var judged = new List<JudgedHit>(batch.Entries.Count);
        foreach (var entry in batch.Entries)
        {
            var hit = entry.Hit;
            if (hit.Kind == IntakeKind.Reply)
            {
                if (hit.MessageId is { } id && replies.Targets.TryGetValue(id, out var sent) && replies.Seen.Add((id, hit.At, hit.Actor)))
                {
                    judged.Add(new JudgedHit(hit, sent, HitSource.Reply, true));
                }

                continue;
            }

            // Only a token of the endpoint's own kind is projected (the endpoint checked it; this keeps the rule here too).
            if (hit.Token is null || !targets.TryGetValue(hit.Token, out var target) || (int)target.Kind != (int)hit.Kind)
            {
                continue;
            }

            var source = hit.Head
                ? HitSource.LinkScanner
                : classifier.Classify(
                    new TrackingHit(hit.Token, target.Kind, hit.At, hit.UserAgent, IPAddress.TryParse(hit.ClientIp, out var ip) ? ip : null, hit.SenderUserId),
                    target);
            judged.Add(new JudgedHit(hit, target, source, HitClassifier.Counts(source)));
        }

        return judged;
    }

    private async Task PublishAsync(List<JudgedHit> judged, List<(Notification Entry, JudgedHit Hit)> rung)
    {
        // Hits the sender never sees (scanner, prefetch, themselves) change nothing on screen.
        var entryByMessage = rung.GroupBy(r => r.Entry.MessageId).ToDictionary(g => g.Key, g => g.Last().Entry.Id);
        foreach (var (owner, messageId) in judged.Where(j => j.Counted).Select(j => (j.Target.OwnerId, j.Target.MessageId)).Distinct())
        {
            try
            {
                await push.PushAsync(owner, new UserPushEvent(UserPushKinds.Tracking, messageId, entryByMessage.TryGetValue(messageId, out var id) ? id : null));
            }
            catch (Exception ex)
            {
                // The projection is committed; a failed push only delays what the UI shows until it reloads.
                LogPushFailed(ex, messageId);
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

    private sealed record JudgedHit(IntakeHit Hit, TokenTarget Target, HitSource Source, bool Counted)
    {
        public IntakeKind Kind => Hit.Kind;

        public DateTime At => Hit.At;

        public TrackingEvent ToEvent(HitClassifier classifier) => new()
        {
            MessageId = Target.MessageId,
            Kind = Target.Kind,
            TrackedLinkId = Target.LinkId,
            OccurredAt = Hit.At,
            Source = Source,
            Counted = Counted,
            UserAgent = Hit.UserAgent is { Length: > TrackingHit.MaxStoredUserAgent } agent ? agent[..TrackingHit.MaxStoredUserAgent] : Hit.UserAgent,
            IpAddress = classifier.StoredAddress(IPAddress.TryParse(Hit.ClientIp, out var ip) ? ip : null),
            Recipient = Kind == IntakeKind.Reply ? Hit.Actor : Target.Recipient,
        };
    }
}
