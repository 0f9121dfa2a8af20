using MailTracker.Core.Data;
using MailTracker.Core.Sync;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Verdicts;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Messages;

/// <summary>Which messages the list shows. Filters combine with each other, the folder and the search.</summary>
public sealed record MailListQuery
{
    public MailFolder Folder { get; init; } = MailFolder.Inbox;
    public string? Search { get; init; }
    public bool TrackedOnly { get; init; }
    public bool Opened { get; init; }
    public bool NotOpened { get; init; }
    public bool Clicked { get; init; }

    /// <summary>The Follow up folder: sent mail whose reminder fell due and still holds (instead of <see cref="Folder"/>).</summary>
    public bool FollowUp { get; init; }

    /// <summary>Keyset cursor: show messages older than this (date, id) pair.</summary>
    public (DateTime Date, long Id)? Before { get; init; }

    public int PageSize { get; init; } = 50;
}

/// <summary>A link's clicks, for the click icon's tooltip and the message view.</summary>
public sealed record LinkClicks(string Url, int Count, DateTime? First, DateTime? Last);

/// <summary>What a row needs: participants, subject, snippet, date, and the tracking summary.</summary>
public sealed record MessageListItem
{
    public long Id { get; init; }
    public MailFolder Folder { get; init; }
    public MessageStatus Status { get; init; }
    public string FromName { get; init; } = "";
    public string FromAddress { get; init; } = "";
    public string To { get; init; } = "";
    public string Cc { get; init; } = "";
    public string Subject { get; init; } = "";
    public string Snippet { get; init; } = "";
    public DateTime Date { get; init; }
    public bool IsRead { get; init; }
    public bool PlainTextOnly { get; init; }
    public bool OpenTracking { get; init; }
    public bool LinkTracking { get; init; }
    public int OpenCount { get; init; }
    public DateTime? FirstOpenedAt { get; init; }
    public DateTime? LastOpenedAt { get; init; }
    public int ClickCount { get; init; }
    public DateTime? FirstClickedAt { get; init; }
    public DateTime? LastClickedAt { get; init; }
    public int PrivacyOpenCount { get; init; }
    public bool OpenInferred { get; init; }
    public int Attempts { get; init; }
    public string? LastError { get; init; }
    public DateTime? NextAttemptAt { get; init; }

    /// <summary>Send later: not sent before this time.</summary>
    public DateTime? ScheduledFor { get; init; }
    public IReadOnlyList<LinkClicks> Links { get; init; } = [];

    /// <summary>Each recipient got a copy of their own: the tooltip says who opened (<see cref="Openers"/>).</summary>
    public bool TrackPerRecipient { get; init; }

    /// <summary>In the outbox, but some recipients (tracked per recipient) already have their copy.</summary>
    public bool PartlySent { get; init; }

    /// <summary>Tracked per recipient: who opened it (a counted open, click or reply on their copy) and first when.</summary>
    public IReadOnlyList<RecipientOpened> Openers { get; init; } = [];

    public bool IsOutgoing => Folder is MailFolder.Sent or MailFolder.Outbox or MailFolder.Drafts;
}

/// <summary>A recipient of a message tracked per recipient who opened it, and first when.</summary>
public sealed record RecipientOpened(string Address, DateTime At);

/// <summary>One recipient of a message tracked per recipient, for the message page: their copy's delivery and tracking.</summary>
public sealed record RecipientView(
    string Address, string DisplayName, RecipientRole Role, DeliveryState State, string? LastError, DateTime? SentAt,
    DateTime? FirstOpenedAt, int OpenCount, int ClickCount);

public sealed record MailListPage(IReadOnlyList<MessageListItem> Items, bool HasMore);

/// <summary>One event of the message view's timeline.</summary>
public sealed record TimelineEntry(DateTime At, TrackingKind Kind, Verdict Verdict, bool Counted, string? Url, string? UserAgent, string? IpAddress)
{
    /// <summary>Who it was, when known: the recipient of a per-recipient token, or who replied.</summary>
    public string? Recipient { get; init; }

    /// <summary>Why the engine judged it so (English, as stored).</summary>
    public string? Reason { get; init; }

    public ClientClass ClientClass { get; init; }

    /// <summary>False while the verdict may still change (it is counted once it settles).</summary>
    public bool Settled { get; init; } = true;

    /// <summary>A machine's hit (privacy proxy, prefetch, scanner): folded on the timeline.</summary>
    public bool Automated => Verdict is Verdict.PrivacyProxy or Verdict.Prefetch or Verdict.Scanner;
}

public sealed record MessageDetails(
    MessageListItem Summary,
    string? HtmlBody,
    string TextBody,
    string Bcc,
    string MessageIdHeader,
    string? TrackingSuppressedReason,
    IReadOnlyList<TrackedLinkView> TrackedLinks,
    IReadOnlyList<TimelineEntry> Timeline)
{
    /// <summary>The rest of the conversation: the message this one answers, its other answers, and answers to this one.</summary>
    public IReadOnlyList<MessageListItem> Thread { get; init; } = [];

    /// <summary>Tracked per recipient: each recipient's delivery and opens (empty otherwise).</summary>
    public IReadOnlyList<RecipientView> Recipients { get; init; } = [];
}

public sealed record TrackedLinkView(int Ordinal, string Url, int ClickCount, DateTime? FirstClickedAt, DateTime? LastClickedAt);

public sealed record FolderCounts(int InboxUnread, int Outbox, int Failed, int FollowUp = 0);

/// <summary>Reads a user's mailbox. Every query is scoped to the owner; another user's message simply does not exist.</summary>
public sealed class MailboxQueries(IDbContextFactory<MailTrackerDbContext> contextFactory, MailSyncSignal syncSignal)
{
    /// <summary>Up to this many full-text matches drive a search by id; more are checked row by row.</summary>
    private const int RareMatchLimit = 2000;

    public async Task<MailListPage> ListAsync(string userId, MailListQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var messages = query.FollowUp
            ? db.Messages.AsNoTracking().Where(m => m.OwnerId == userId && ReminderFacts.FollowUpMessageIds(db, userId).Contains(m.Id))
            : db.Messages.AsNoTracking().Where(m => m.OwnerId == userId && m.Folder == query.Folder);

        if (query.TrackedOnly)
        {
            messages = messages.Where(m => m.IsTracked);
        }

        // Opened and Not opened together mean "either": every message sent with open tracking.
        if (query.Opened || query.NotOpened)
        {
            messages = (query.Opened, query.NotOpened) switch
            {
                (true, false) => messages.Where(m => m.IsTracked && m.OpenTracking && m.OpenCount > 0),
                (false, true) => messages.Where(m => m.IsTracked && m.OpenTracking && m.OpenCount == 0),
                _ => messages.Where(m => m.IsTracked && m.OpenTracking),
            };
        }

        if (query.Clicked)
        {
            messages = messages.Where(m => m.IsTracked && m.LinkTracking && m.ClickCount > 0);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var terms = query.Search.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var indexed = db.Database.IsSqlite() ? terms.Where(t => t.Length >= 3).ToList() : [];
            var scanned = terms.Except(indexed).ToList();
            if (indexed.Count > 0)
            {
                // The trigram index finds substrings of 3+ characters; each term is a quoted phrase, all must match.
                // A rare match drives the query by its few ids; a common one is cheaper to check row by row in date
                // order, where the first page fills quickly (see docs/decisions/0006-mail-search.md).
                var match = string.Join(' ', indexed.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
                var ids = await db.Database
                    .SqlQuery<long>($"SELECT rowid AS \"Value\" FROM \"MessageSearch\" WHERE \"MessageSearch\" MATCH {match} LIMIT {RareMatchLimit + 1}")
                    .ToListAsync(cancellationToken);
                if (ids.Count <= RareMatchLimit)
                {
                    messages = messages.Where(m => ids.Contains(m.Id));
                }
                else
                {
                    scanned.AddRange(indexed);
                }
            }

            foreach (var term in scanned)
            {
                var pattern = "%" + Like.Escape(term) + "%";
                messages = messages.Where(m => EF.Functions.Like(m.SearchText, pattern, Like.EscapeCharacter));
            }
        }

        return await PageAsync(db, messages, query.Before, query.PageSize, cancellationToken);
    }

    /// <summary>
    /// One page of list rows, newest first, from any set of the owner's messages: the Mail tab's folders and the
    /// detail views' email history show exactly the same rows.
    /// </summary>
    internal static async Task<MailListPage> PageAsync(
        MailTrackerDbContext db, IQueryable<Message> messages, (DateTime Date, long Id)? before, int pageSize, CancellationToken cancellationToken)
    {
        if (before is { } cursor)
        {
            messages = messages.Where(m => m.Date < cursor.Date || (m.Date == cursor.Date && m.Id < cursor.Id));
        }

        var rows = await messages
            .OrderByDescending(m => m.Date).ThenByDescending(m => m.Id)
            .Take(pageSize + 1)
            .Select(ToListItem)
            .ToListAsync(cancellationToken);

        var hasMore = rows.Count > pageSize;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return new MailListPage(await WithLinksAsync(db, rows, cancellationToken), hasMore);
    }

    /// <summary>One row, fresh, for a live update; null if it is not this user's.</summary>
    public async Task<MessageListItem?> GetItemAsync(string userId, long messageId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var page = await PageAsync(db, db.Messages.AsNoTracking().Where(m => m.Id == messageId && m.OwnerId == userId), null, 1, cancellationToken);
        return page.Items.SingleOrDefault();
    }

    /// <summary>A message as a list row; one projection for the list, live updates and the message view.</summary>
    private static readonly System.Linq.Expressions.Expression<Func<Message, MessageListItem>> ToListItem = m => new MessageListItem
    {
        Id = m.Id,
        Folder = m.Folder,
        Status = m.Status,
        FromName = m.FromName,
        FromAddress = m.FromAddress,
        To = m.To,
        Cc = m.Cc,
        Subject = m.Subject,
        Snippet = m.Snippet,
        Date = m.Date,
        IsRead = m.IsRead,
        PlainTextOnly = m.PlainTextOnly,
        OpenTracking = m.OpenTracking,
        LinkTracking = m.LinkTracking,
        OpenCount = m.OpenCount,
        FirstOpenedAt = m.FirstOpenedAt,
        LastOpenedAt = m.LastOpenedAt,
        ClickCount = m.ClickCount,
        FirstClickedAt = m.FirstClickedAt,
        LastClickedAt = m.LastClickedAt,
        PrivacyOpenCount = m.PrivacyOpenCount,
        OpenInferred = m.OpenInferred,
        Attempts = m.Attempts,
        LastError = m.LastError,
        NextAttemptAt = m.NextAttemptAt,
        TrackPerRecipient = m.TrackPerRecipient,
        PartlySent = m.Folder == MailFolder.Outbox && m.TrackPerRecipient && m.SentAt != null,
        ScheduledFor = m.ScheduledFor,
    };

    private static readonly Func<Message, MessageListItem> ToListItemCompiled = ToListItem.Compile();

    public async Task<MessageDetails?> GetAsync(string userId, long messageId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var m = await db.Messages.AsNoTracking().SingleOrDefaultAsync(x => x.Id == messageId && x.OwnerId == userId, cancellationToken);
        if (m is null)
        {
            return null;
        }

        var trackedLinks = await db.TrackedLinks.AsNoTracking().Where(l => l.MessageId == messageId).OrderBy(l => l.Ordinal).ToListAsync(cancellationToken);
        var links = trackedLinks.Where(l => !l.Hidden).Select(l => new TrackedLinkView(l.Ordinal, l.Url, l.ClickCount, l.FirstClickedAt, l.LastClickedAt)).ToList();
        var linkUrls = trackedLinks.ToDictionary(l => l.Id, l => l.Url);
        var timeline = await db.TrackingEvents.AsNoTracking().Where(e => e.MessageId == messageId)
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
            .Take(500)
            .Select(e => new { e.OccurredAt, e.Kind, e.Verdict, e.Counted, e.TrackedLinkId, e.UserAgent, e.IpAddress, e.Recipient, e.Reason, e.ClientClass, e.Settled })
            .ToListAsync(cancellationToken);
        var summary = ToListItemCompiled(m) with
        {
            Links = links.Where(l => l.ClickCount > 0).Select(l => new LinkClicks(l.Url, l.ClickCount, l.FirstClickedAt, l.LastClickedAt)).ToList(),
        };
        var recipients = new List<RecipientView>();
        if (m.TrackPerRecipient)
        {
            var counted = await db.TrackingEvents.AsNoTracking().Where(e => e.MessageId == messageId && e.Counted && e.Recipient != null)
                .GroupBy(e => e.Recipient)
                .Select(g => new
                {
                    Recipient = g.Key!,
                    First = g.Min(e => e.OccurredAt),
                    Opens = g.Count(e => e.Kind == TrackingKind.Open && e.Verdict != Verdict.Reply),
                    Clicks = g.Count(e => e.Kind == TrackingKind.Click),
                })
                .ToDictionaryAsync(g => g.Recipient, cancellationToken);
            recipients = (await db.MessageRecipients.AsNoTracking().Where(r => r.MessageId == messageId).OrderBy(r => r.Id).ToListAsync(cancellationToken))
                .Select(r => counted.TryGetValue(r.Address, out var c)
                    ? new RecipientView(r.Address, r.DisplayName, r.Role, r.State, r.LastError, r.SentAt, c.First, c.Opens, c.Clicks)
                    : new RecipientView(r.Address, r.DisplayName, r.Role, r.State, r.LastError, r.SentAt, null, 0, 0))
                .ToList();
            summary = summary with { Openers = recipients.Where(r => r.FirstOpenedAt is not null).Select(r => new RecipientOpened(r.Address, r.FirstOpenedAt!.Value)).OrderBy(o => o.At).ToList() };
        }

        return new MessageDetails(
            summary,
            m.HtmlBody,
            m.TextBody,
            m.Bcc,
            m.MessageIdHeader,
            m.TrackingSuppressedReason,
            links,
            timeline.Select(e => new TimelineEntry(
                e.OccurredAt, e.Kind, e.Verdict, e.Counted,
                e.TrackedLinkId is { } id ? linkUrls.GetValueOrDefault(id) : null,
                e.UserAgent, e.IpAddress)
            {
                Recipient = e.Recipient, Reason = e.Reason, ClientClass = e.ClientClass, Settled = e.Settled,
            }).ToList())
        {
            Thread = await ThreadAsync(db, userId, m.Id, m.ReplyToMessageId, cancellationToken),
            Recipients = recipients,
        };
    }

    private static async Task<IReadOnlyList<MessageListItem>> ThreadAsync(MailTrackerDbContext db, string userId, long id, long? parentId, CancellationToken cancellationToken) =>
        await db.Messages.AsNoTracking()
            .Where(x => x.OwnerId == userId && x.Id != id
                        && (x.ReplyToMessageId == id || (parentId != null && (x.Id == parentId || x.ReplyToMessageId == parentId))))
            .OrderBy(x => x.Date).ThenBy(x => x.Id)
            .Take(50)
            .Select(ToListItem)
            .ToListAsync(cancellationToken);

    public async Task<FolderCounts> CountsAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var inboxUnread = await db.Messages.CountAsync(m => m.OwnerId == userId && m.Folder == MailFolder.Inbox && !m.IsRead, cancellationToken);
        var outbox = await db.Messages.CountAsync(m => m.OwnerId == userId && m.Folder == MailFolder.Outbox, cancellationToken);
        var failed = await db.Messages.CountAsync(m => m.OwnerId == userId && m.Folder == MailFolder.Outbox && m.Status == MessageStatus.Failed, cancellationToken);
        var followUp = await ReminderFacts.FollowUpMessageIds(db, userId).CountAsync(cancellationToken);
        return new FolderCounts(inboxUnread, outbox, failed, followUp);
    }

    /// <summary>Marks a message read; a synced one is also marked \Seen on its server by the next sync pass (woken now).</summary>
    public async Task MarkReadAsync(string userId, long messageId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var changed = await db.Messages.Where(m => m.Id == messageId && m.OwnerId == userId && !m.IsRead)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.IsRead, true).SetProperty(m => m.SeenChangePending, m => m.ImapUidValidity != null), cancellationToken);
        if (changed > 0)
        {
            var synced = await db.Messages.Where(m => m.Id == messageId && m.ImapUidValidity != null).Select(m => (int?)m.MailAccountId).FirstOrDefaultAsync(cancellationToken);
            if (synced is { } accountId)
            {
                syncSignal.Wake(accountId);
            }
        }
    }

    private static async Task<IReadOnlyList<MessageListItem>> WithLinksAsync(MailTrackerDbContext db, List<MessageListItem> rows, CancellationToken cancellationToken)
    {
        rows = await WithOpenersAsync(db, rows, cancellationToken);
        var clicked = rows.Where(r => r.ClickCount > 0).Select(r => r.Id).ToList();
        if (clicked.Count == 0)
        {
            return rows;
        }

        var links = await db.TrackedLinks.AsNoTracking()
            .Where(l => clicked.Contains(l.MessageId) && l.ClickCount > 0)
            .OrderBy(l => l.Ordinal)
            .Select(l => new { l.MessageId, Clicks = new LinkClicks(l.Url, l.ClickCount, l.FirstClickedAt, l.LastClickedAt) })
            .ToListAsync(cancellationToken);
        var byMessage = links.ToLookup(l => l.MessageId, l => l.Clicks);
        return rows.Select(r => r.ClickCount > 0 ? r with { Links = byMessage[r.Id].ToList() } : r).ToList();
    }

    /// <summary>Who opened each row tracked per recipient: the recipients with a counted event on their copy, first when (one query per page).</summary>
    private static async Task<List<MessageListItem>> WithOpenersAsync(MailTrackerDbContext db, List<MessageListItem> rows, CancellationToken cancellationToken)
    {
        var opened = rows.Where(r => r.TrackPerRecipient && r.OpenCount > 0).Select(r => r.Id).ToList();
        if (opened.Count == 0)
        {
            return rows;
        }

        var openers = await db.TrackingEvents.AsNoTracking()
            .Where(e => opened.Contains(e.MessageId) && e.Counted && e.Recipient != null)
            .GroupBy(e => new { e.MessageId, e.Recipient })
            .Select(g => new { g.Key.MessageId, Recipient = g.Key.Recipient!, At = g.Min(e => e.OccurredAt) })
            .ToListAsync(cancellationToken);
        var byMessage = openers.ToLookup(o => o.MessageId, o => new RecipientOpened(o.Recipient, o.At));
        return rows.Select(r => byMessage.Contains(r.Id) ? r with { Openers = byMessage[r.Id].OrderBy(o => o.At).ToList() } : r).ToList();
    }
}
