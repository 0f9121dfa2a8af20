using MailTracker.Core.Accounts;
using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using MailTracker.Core.Tracking.Intake;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Sync;

/// <summary>What one stored batch changed: new messages, and sent messages a new reply proved opened.</summary>
public sealed record StoreOutcome(int Added, IReadOnlyList<long> RepliedTo);

/// <summary>A local message with a server UID whose read state has to reach the server.</summary>
public sealed record PendingSeen(long MessageId, long Uid, bool IsRead);

/// <summary>
/// The sync's database side. Every batch is one transaction: new messages and replies linked to what they answer.
/// A reply to a tracked message is evidence that it was opened: it goes to the tracking intake like a hit of its
/// own kind (appended before the batch commits, so a crash in between hands it in again, and the projector takes
/// each reply once), and the projector counts it.
/// </summary>
public sealed class SyncStore(IDbContextFactory<MailTrackerDbContext> contextFactory, IntakeWriter intake, TimeProvider time)
{
    public async Task<MailAccount?> LoadAccountAsync(int accountId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.MailAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken);
    }

    /// <summary>Mailboxes to keep in sync, with the time they were connected (a change means: start over).</summary>
    public async Task<Dictionary<int, DateTime?>> ConnectedAccountsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.MailAccounts.AsNoTracking()
            .Where(a => !a.IsSandbox && a.ImapHost != "" && (a.ImapPasswordProtected != null || (a.OAuthRefreshTokenProtected != null && a.ReconnectReason == null)))
            .ToDictionaryAsync(a => a.Id, a => a.ConnectedAt, cancellationToken);
    }

    /// <summary>
    /// Takes or renews <paramref name="holder"/>'s lease on a mailbox's sync for <paramref name="duration"/>; false while
    /// another holder's lease is live. One conditional update, so of several instances asking at once exactly one wins.
    /// </summary>
    public Task<bool> TryLeaseAsync(int accountId, string holder, TimeSpan duration, CancellationToken cancellationToken) =>
        LeaseAsync(accountId, holder, duration, replacing: null, cancellationToken);

    /// <summary>Takes the lease of a holder known to be gone (<see cref="SyncInstance.IsDeadLocal"/>) without waiting for it to run out.</summary>
    public Task<bool> TryTakeOverAsync(int accountId, string holder, string goneHolder, TimeSpan duration, CancellationToken cancellationToken) =>
        LeaseAsync(accountId, holder, duration, goneHolder, cancellationToken);

    private async Task<bool> LeaseAsync(int accountId, string holder, TimeSpan duration, string? replacing, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + duration;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.MailAccounts
            .Where(a => a.Id == accountId && (a.SyncLeaseHolder == null || a.SyncLeaseHolder == holder || a.SyncLeaseUntil == null || a.SyncLeaseUntil < now
                                              || (replacing != null && a.SyncLeaseHolder == replacing)))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.SyncLeaseHolder, holder).SetProperty(a => a.SyncLeaseUntil, until), cancellationToken) == 1;
    }

    public async Task<string?> LeaseHolderAsync(int accountId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.MailAccounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.SyncLeaseHolder).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Gives the lease up (when this instance stops syncing the mailbox), so another can take it at once.</summary>
    public async Task ReleaseLeaseAsync(int accountId, string holder, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.MailAccounts.Where(a => a.Id == accountId && a.SyncLeaseHolder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.SyncLeaseHolder, (string?)null).SetProperty(a => a.SyncLeaseUntil, (DateTime?)null), cancellationToken);
    }

    public async Task<FolderSyncState> LoadStateAsync(int accountId, MailFolder folder, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var state = await db.FolderSyncStates.AsNoTracking().SingleOrDefaultAsync(s => s.MailAccountId == accountId && s.Folder == folder, cancellationToken);
        if (state is not null)
        {
            return state;
        }

        state = new FolderSyncState(accountId, folder);
        db.FolderSyncStates.Add(state);
        await db.SaveChangesAsync(cancellationToken);
        return state;
    }

    public async Task SaveStateAsync(FolderSyncState state, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.FolderSyncStates.Update(state);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A connection-level failure: both folders show it, whether or not they were reached before.</summary>
    public async Task RecordFailureAsync(int accountId, MailConnectionProblem problem, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var folder in new[] { MailFolder.Inbox, MailFolder.Sent })
        {
            var state = await LoadStateAsync(accountId, folder, cancellationToken);
            state.Failed(problem, now);
            await SaveStateAsync(state, cancellationToken);
        }
    }

    /// <summary>
    /// The folder's UIDVALIDITY changed: UIDs stored for it mean nothing any more. The messages stay, and the resync
    /// links each one still on the server again by its Message-ID.
    /// </summary>
    /// <remarks>
    /// Mail sent from MailTracker keeps its old UID (without a UIDVALIDITY, so nothing reads it as a live UID) as the
    /// record that its copy was placed in Sent once: if the user has deleted that copy since, it must not be appended
    /// again. Only a message whose copy was never placed has no UID, and only those are appended.
    /// </remarks>
    public async Task ForgetUidsAsync(int accountId, MailFolder folder, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var linked = db.Messages.Where(m => m.MailAccountId == accountId && m.Folder == folder && m.ImapUidValidity != null);
        await linked.Where(m => m.Attempts == 0)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ImapUid, (long?)null).SetProperty(m => m.ImapUidValidity, (long?)null), cancellationToken);
        await linked.Where(m => m.Attempts > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ImapUidValidity, (long?)null), cancellationToken);
    }

    /// <summary>
    /// The mail stored from this folder under this UIDVALIDITY, by UID (message id). Mail sent from MailTracker is left
    /// out: it is the record of what was sent and of its opens and clicks, whatever happens to its copy in Sent.
    /// </summary>
    public async Task<Dictionary<long, long>> SyncedUidsAsync(int accountId, MailFolder folder, long uidValidity, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Messages.AsNoTracking()
            .Where(m => m.MailAccountId == accountId && m.Folder == folder && m.ImapUidValidity == uidValidity && m.ImapUid != null && m.Attempts == 0)
            .ToDictionaryAsync(m => m.ImapUid!.Value, m => m.Id, cancellationToken);
    }

    /// <summary>Deletes these messages (mail deleted on the server) with their bodies, participants and search entries.</summary>
    public async Task DeleteMessagesAsync(IReadOnlyCollection<long> messageIds, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // One statement per message: bodies live in a split table, which EF Core's ExecuteDelete does not handle; the
        // rest goes by cascade, and a reply to a deleted message just shows no thread.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var id in messageIds)
        {
            await db.Database.ExecuteSqlAsync($"DELETE FROM \"Messages\" WHERE \"Id\" = {id}", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Which of these UIDs are already stored (so their bodies need not be fetched again).</summary>
    public async Task<HashSet<long>> KnownUidsAsync(int accountId, MailFolder folder, long uidValidity, IReadOnlyCollection<long> uids, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var known = new HashSet<long>();
        foreach (var chunk in uids.Chunk(500))
        {
            var found = await db.Messages.AsNoTracking()
                .Where(m => m.MailAccountId == accountId && m.Folder == folder && m.ImapUidValidity == uidValidity && m.ImapUid != null && chunk.Contains(m.ImapUid.Value))
                .Select(m => m.ImapUid!.Value).ToListAsync(cancellationToken);
            known.UnionWith(found);
        }

        return known;
    }

    /// <summary>
    /// Stores fetched mail. A message already here (same folder and Message-ID: MailTracker's own sent mail, or one seen
    /// before a UIDVALIDITY change or a reconnect) only gets its UID; anything else is added. A new inbound message
    /// answering a sent one is linked to it, and counts as evidence that it was opened when open tracking was on.
    /// </summary>
    public async Task<StoreOutcome> StoreAsync(MailAccount account, MailFolder folder, long uidValidity, IReadOnlyList<FetchedMail> mails, CancellationToken cancellationToken)
    {
        if (mails.Count == 0)
        {
            return new StoreOutcome(0, []);
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var ids = mails.Select(m => m.MessageIdHeader).Distinct().ToList();
        // A message MailTracker is still sending can show up in the provider's Sent folder before it is marked sent.
        var folders = folder == MailFolder.Sent ? new[] { MailFolder.Sent, MailFolder.Outbox } : [folder];
        var existing = await db.Messages
            .Where(m => m.MailAccountId == account.Id && folders.Contains(m.Folder) && ids.Contains(m.MessageIdHeader))
            .ToListAsync(cancellationToken);
        var byMessageId = existing.GroupBy(m => m.MessageIdHeader).ToDictionary(g => g.Key, g => g.OrderBy(m => m.Id).First());

        var parentIds = mails.SelectMany(m => m.ParentIds()).Distinct().ToList();
        var parents = parentIds.Count == 0
            ? []
            : await db.Messages.AsNoTracking()
                .Where(m => m.OwnerId == account.OwnerId && parentIds.Contains(m.MessageIdHeader))
                .Select(m => new Parent(m.Id, m.MessageIdHeader, m.Folder, m.OpenTracking, m.SentAt))
                .ToListAsync(cancellationToken);
        var parentByMessageId = parents.GroupBy(p => p.MessageIdHeader).ToDictionary(g => g.Key, g => g.OrderBy(p => p.Id).First());

        var now = time.GetUtcNow().UtcDateTime;
        var added = 0;
        var evidence = new List<(long SentId, DateTime At, string From)>();
        foreach (var mail in mails)
        {
            if (byMessageId.TryGetValue(mail.MessageIdHeader, out var known))
            {
                known.LinkToImap(uidValidity, mail.Uid);
                continue;
            }

            var parent = mail.ParentIds().Select(id => parentByMessageId.GetValueOrDefault(id)).FirstOrDefault(p => p is not null);
            var message = Message.Receive(new IncomingMail
            {
                OwnerId = account.OwnerId,
                MailAccountId = account.Id,
                Folder = folder,
                FromAddress = mail.FromAddress,
                FromName = mail.FromName,
                To = mail.To,
                Cc = mail.Cc,
                Subject = mail.Subject,
                HtmlBody = mail.HtmlBody,
                TextBody = mail.TextBody,
                MessageIdHeader = mail.MessageIdHeader,
                InReplyTo = mail.InReplyTo,
                Date = mail.Date,
                IsRead = mail.IsRead,
                ImapUidValidity = uidValidity,
                ImapUid = mail.Uid,
                ReplyToMessageId = parent?.Id,
            });
            db.Messages.Add(message);
            byMessageId[mail.MessageIdHeader] = message;
            added++;

            if (folder == MailFolder.Inbox && parent is { Folder: MailFolder.Sent, OpenTracking: true })
            {
                // Written before it arrived, after the original was sent: that is when it was opened at the latest.
                var at = mail.Date > now ? now : mail.Date;
                if (parent.SentAt is { } sent && at < sent)
                {
                    at = sent;
                }

                evidence.Add((parent.Id, at, mail.FromAddress));
            }
        }

        foreach (var (sentId, at, from) in evidence)
        {
            if (!await intake.AppendAsync(IntakeHit.Reply(sentId, at, from)))
            {
                throw new InvalidOperationException("The tracking intake did not take a reply's evidence; the batch is not stored and will be fetched again.");
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return new StoreOutcome(added, evidence.Select(e => e.SentId).Distinct().ToList());
    }

    /// <summary>Applies the server's \Seen flags; messages read here and not yet uploaded keep their local state.</summary>
    public async Task<int> ApplyServerSeenAsync(int accountId, MailFolder folder, long uidValidity, IReadOnlyDictionary<long, bool> seenByUid, CancellationToken cancellationToken)
    {
        if (seenByUid.Count == 0)
        {
            return 0;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var local = await db.Messages.AsNoTracking()
            .Where(m => m.MailAccountId == accountId && m.Folder == folder && m.ImapUidValidity == uidValidity && m.ImapUid != null && !m.SeenChangePending)
            .Select(m => new { m.Id, Uid = m.ImapUid!.Value, m.IsRead })
            .ToListAsync(cancellationToken);
        var nowRead = local.Where(m => seenByUid.TryGetValue(m.Uid, out var seen) && seen && !m.IsRead).Select(m => m.Id).ToList();
        var nowUnread = local.Where(m => seenByUid.TryGetValue(m.Uid, out var seen) && !seen && m.IsRead).Select(m => m.Id).ToList();
        foreach (var (ids, read) in new[] { (nowRead, true), (nowUnread, false) })
        {
            foreach (var chunk in ids.Chunk(500))
            {
                await db.Messages.Where(m => chunk.Contains(m.Id) && !m.SeenChangePending)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.IsRead, read), cancellationToken);
            }
        }

        return nowRead.Count + nowUnread.Count;
    }

    public async Task<List<PendingSeen>> PendingSeenAsync(int accountId, MailFolder folder, long uidValidity, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Messages.AsNoTracking()
            .Where(m => m.MailAccountId == accountId && m.Folder == folder && m.SeenChangePending && m.ImapUidValidity == uidValidity && m.ImapUid != null)
            .Select(m => new PendingSeen(m.Id, m.ImapUid!.Value, m.IsRead))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The server has the read state now, unless it changed again meanwhile.</summary>
    public async Task ClearSeenPendingAsync(IReadOnlyList<PendingSeen> uploaded, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        foreach (var group in uploaded.GroupBy(p => p.IsRead))
        {
            var ids = group.Select(p => p.MessageId).ToList();
            await db.Messages.Where(m => ids.Contains(m.Id) && m.IsRead == group.Key)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.SeenChangePending, false), cancellationToken);
        }
    }

    /// <summary>
    /// Mail MailTracker sent through this mailbox since it was connected whose copy is not (known to be) in the
    /// server's Sent folder yet.
    /// </summary>
    public async Task<List<Message>> PendingSentCopiesAsync(MailAccount account, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var since = account.ConnectedAt ?? DateTime.MaxValue;
        return await db.Messages.AsNoTracking()
            .Where(m => m.MailAccountId == account.Id && m.Folder == MailFolder.Sent && m.Status == MessageStatus.Sent
                        && m.ImapUid == null && m.SentAt >= since)
            .OrderBy(m => m.Id)
            .Take(100)
            .ToListAsync(cancellationToken);
    }

    public async Task LinkAsync(long messageId, long uidValidity, long uid, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var message = await db.Messages.SingleAsync(m => m.Id == messageId, cancellationToken);
        message.LinkToImap(uidValidity, uid);
        await db.SaveChangesAsync(cancellationToken);
    }

    private sealed record Parent(long Id, string MessageIdHeader, MailFolder Folder, bool OpenTracking, DateTime? SentAt);
}
