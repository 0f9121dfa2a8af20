using MailTracker.Core.Accounts;
using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Verdicts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace MailTracker.Core.Insights;

public enum InsightsInterval
{
    Day = 0,
    Week = 1,
    Month = 2,
}

/// <summary>
/// What Insights looks at: tracked mail sent between two dates (inclusive, in <see cref="TimeZone"/>), bucketed by
/// <see cref="Interval"/>. <see cref="Team"/> asks for every user's mail (admins only).
/// </summary>
public sealed record InsightsQuery(DateOnly From, DateOnly To, InsightsInterval Interval, TimeZoneInfo TimeZone, bool Team = false);

/// <summary>One bucket of the charts: tracked mail sent in it, and how much of it was opened or clicked (counted hits only).</summary>
public sealed record InsightsPoint(DateOnly Start, int Sent, int OpenTracked, int Opened, int LinkTracked, int Clicked)
{
    public double? OpenRate => OpenTracked == 0 ? null : (double)Opened / OpenTracked;

    public double? ClickRate => LinkTracked == 0 ? null : (double)Clicked / LinkTracked;
}

/// <summary>Hits on the range's mail that were recorded but not counted, by what made them.</summary>
public sealed record AutomatedHits(Verdict Source, TrackingKind Kind, int Count);

public sealed record TopLink(string Url, int Clicks, int Messages);

/// <summary>One user's figures in the team view: aggregates only, never a subject or a recipient (decision 0011).</summary>
public sealed record UserInsights(string UserId, string Name, int Sent, int OpenTracked, int Opened, int LinkTracked, int Clicked)
{
    public double? OpenRate => OpenTracked == 0 ? null : (double)Opened / OpenTracked;

    public double? ClickRate => LinkTracked == 0 ? null : (double)Clicked / LinkTracked;
}

public sealed record InsightsOverview(
    IReadOnlyList<InsightsPoint> Points,
    InsightsPoint Total,
    IReadOnlyList<AutomatedHits> Automated,
    IReadOnlyList<TopLink> TopLinks,
    IReadOnlyList<UserInsights> Users);

public enum InsightsSort
{
    Sent = 0,
    Subject = 1,
    Recipient = 2,
    Opens = 3,
    Clicks = 4,
}

public sealed record InsightsMessagesQuery(InsightsQuery Range, InsightsSort Sort = InsightsSort.Sent, bool Descending = true, int Skip = 0, int Take = 25);

public sealed record InsightsMessage(long Id, string Subject, string To, DateTime SentAt, bool OpenTracking, bool LinkTracking, int Opens, int Clicks, bool Replied);

public sealed record InsightsMessagePage(IReadOnlyList<InsightsMessage> Items, int Total);

/// <summary>
/// Insights: tracked mail sent, open and click rates over time, from the messages' summary columns (which hold counted
/// hits only), so its numbers are the Mail tab's: a message is "opened" exactly when the Mail tab's <c>Opened</c> filter
/// shows it. Scoped to the signed-in user; the team view (admins) shows aggregates per user.
/// </summary>
public sealed class InsightsQueries(IDbContextFactory<MailTrackerDbContext> contextFactory)
{
    /// <summary>The most rows an export or a page reads.</summary>
    public const int MaxRows = 100_000;

    /// <summary>The charts, the totals, the automated share, the top links and (team view) the per-user figures; null when the team view is asked for by someone who is not an admin.</summary>
    public async Task<InsightsOverview?> OverviewAsync(string userId, InsightsQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (query.Team && !await Admins.IsActiveAdminAsync(db, userId, cancellationToken))
        {
            return null;
        }

        var (fromUtc, toUtc) = UtcRange(query);

        // The automated share and the top links read other tables: on their own connection, at the same time.
        var sideTask = SideFiguresAsync(userId, query, fromUtc, toUtc, cancellationToken);

        // Each bucket is a range of UTC instants (local midnights in the user's zone, so DST and half-hour zones need no
        // care here), and the database counts each range by one seek of the tracked-mail index, which covers the
        // counted columns: no per-row date arithmetic, no sort (bench/mailbox.sh).
        var starts = BucketStarts(query);
        var boundaries = starts.Select(s => LocalMidnightToUtc(s, query.TimeZone)).ToArray();
        var rows = await BucketCountsAsync(db, userId, query.Team, boundaries, fromUtc, toUtc, cancellationToken);

        var points = starts.Select(s => new int[5]).ToArray();
        var perUser = new Dictionary<string, int[]>();
        foreach (var r in rows)
        {
            int[] values = [(int)r.Sent, (int)r.OpenTracked, (int)r.Opened, (int)r.LinkTracked, (int)r.Clicked];
            Add(points[r.Bucket], values);
            if (query.Team)
            {
                Add(perUser.TryGetValue(r.OwnerId, out var sums) ? sums : perUser[r.OwnerId] = new int[5], values);
            }
        }

        var series = starts.Select((s, i) => Point(s, points[i])).ToList();
        var total = Point(query.From, points.Aggregate(new int[5], (sum, p) => { Add(sum, p); return sum; }));

        var users = query.Team ? await UsersAsync(db, perUser, cancellationToken) : [];
        var (automated, topLinks) = await sideTask;
        return new InsightsOverview(series, total, automated, topLinks, users);
    }

    /// <summary>One bucket's (and in the team view one user's) figures, as the database counts them.</summary>
    private sealed record BucketRow(int Bucket, string OwnerId, long Sent, long OpenTracked, long Opened, long LinkTracked, long Clicked);

    /// <summary>
    /// Counts the range's tracked mail per bucket: the buckets are a list of [start, end) instants joined to the messages,
    /// so the database seeks the (owner, folder, tracked, date, …) index once per bucket and reads only that index.
    /// The same statement for both providers, with names from the EF model.
    /// </summary>
    private static async Task<List<BucketRow>> BucketCountsAsync(
        MailTrackerDbContext db, string userId, bool team, DateTime[] boundaries, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var type = db.Model.FindEntityType(typeof(Message))!;
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        string Column(string property) => "m." + sql.DelimitIdentifier(type.FindProperty(property)!.GetColumnName(table)!);

        var parameters = new List<object> { (int)MailFolder.Sent, true, userId };
        var buckets = new List<string>(boundaries.Length);
        for (var i = 0; i < boundaries.Length; i++)
        {
            var start = boundaries[i] < fromUtc ? fromUtc : boundaries[i];
            var end = i + 1 < boundaries.Length ? boundaries[i + 1] : toUtc;
            buckets.Add($"({i}, {{{parameters.Count}}}, {{{parameters.Count + 1}}})");
            parameters.Add(DateTime.SpecifyKind(start, DateTimeKind.Utc));
            parameters.Add(DateTime.SpecifyKind(end < start ? start : end, DateTimeKind.Utc));
        }

        string Count(string condition) => $"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)";
        var owner = Column(nameof(Message.OwnerId));
        var ownerFilter = team ? "" : owner + " = {2} AND ";
        var statement = $"""
            WITH b (i, s, e) AS (VALUES {string.Join(", ", buckets)})
            SELECT b.i AS "Bucket", {owner} AS "OwnerId", COUNT(*) AS "Sent",
                {Count(Column(nameof(Message.OpenTracking)))} AS "OpenTracked",
                {Count($"{Column(nameof(Message.OpenTracking))} AND {Column(nameof(Message.OpenCount))} > 0")} AS "Opened",
                {Count(Column(nameof(Message.LinkTracking)))} AS "LinkTracked",
                {Count($"{Column(nameof(Message.LinkTracking))} AND {Column(nameof(Message.ClickCount))} > 0")} AS "Clicked"
            FROM b JOIN {sql.DelimitIdentifier(type.GetTableName()!, type.GetSchema())} AS m
                ON {ownerFilter}{Column(nameof(Message.Folder))} = {"{0}"} AND {Column(nameof(Message.IsTracked))} = {"{1}"}
                AND {Column(nameof(Message.Date))} >= b.s AND {Column(nameof(Message.Date))} < b.e
            GROUP BY b.i, {owner}
            """;
        return await db.Database.SqlQueryRaw<BucketRow>(statement, parameters.ToArray()).ToListAsync(cancellationToken);
    }

    private async Task<(IReadOnlyList<AutomatedHits> Automated, IReadOnlyList<TopLink> TopLinks)> SideFiguresAsync(
        string userId, InsightsQuery query, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var messages = Scope(db, userId, query.Team, fromUtc, toUtc);
        var automated = await AutomatedBySourceAsync(db, messages, cancellationToken);
        return (automated, query.Team ? [] : await TopLinksAsync(db, messages, cancellationToken));
    }

    /// <summary>The user's own tracked mail in the range, one row each, sorted and paged (never the team's: their mail is theirs).</summary>
    public async Task<InsightsMessagePage> MessagesAsync(string userId, InsightsMessagesQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var (fromUtc, toUtc) = UtcRange(query.Range);
        var messages = Scope(db, userId, team: false, fromUtc, toUtc);
        var totalTask = CountAsync(userId, fromUtc, toUtc, cancellationToken);

        messages = (query.Sort, query.Descending) switch
        {
            (InsightsSort.Subject, false) => messages.OrderBy(m => m.Subject).ThenBy(m => m.Id),
            (InsightsSort.Subject, true) => messages.OrderByDescending(m => m.Subject).ThenByDescending(m => m.Id),
            (InsightsSort.Recipient, false) => messages.OrderBy(m => m.To).ThenBy(m => m.Id),
            (InsightsSort.Recipient, true) => messages.OrderByDescending(m => m.To).ThenByDescending(m => m.Id),
            (InsightsSort.Opens, false) => messages.OrderBy(m => m.OpenCount).ThenBy(m => m.Id),
            (InsightsSort.Opens, true) => messages.OrderByDescending(m => m.OpenCount).ThenByDescending(m => m.Id),
            (InsightsSort.Clicks, false) => messages.OrderBy(m => m.ClickCount).ThenBy(m => m.Id),
            (InsightsSort.Clicks, true) => messages.OrderByDescending(m => m.ClickCount).ThenByDescending(m => m.Id),
            (_, false) => messages.OrderBy(m => m.Date).ThenBy(m => m.Id),
            _ => messages.OrderByDescending(m => m.Date).ThenByDescending(m => m.Id),
        };

        var rows = await messages
            .Skip(Math.Max(0, query.Skip))
            .Take(Math.Clamp(query.Take, 1, MaxRows))
            .Select(m => new InsightsMessage(
                m.Id, m.Subject, m.To, m.Date, m.OpenTracking, m.LinkTracking, m.OpenCount, m.ClickCount,
                db.Messages.Any(r => r.ReplyToMessageId == m.Id && r.OwnerId == userId)))
            .ToListAsync(cancellationToken);
        return new InsightsMessagePage(rows, await totalTask);
    }

    /// <summary>How many rows the table has, on its own connection while the page is read.</summary>
    private async Task<int> CountAsync(string userId, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await Scope(db, userId, team: false, fromUtc, toUtc).CountAsync(cancellationToken);
    }

    /// <summary>
    /// Hits that were recorded but not counted, grouped by what made them. The one place that says which column tells
    /// automated hits apart (<see cref="TrackingEvent.Verdict"/>).
    /// </summary>
    internal static async Task<IReadOnlyList<AutomatedHits>> AutomatedBySourceAsync(MailTrackerDbContext db, IQueryable<Message> messages, CancellationToken cancellationToken) =>
        (await db.TrackingEvents.AsNoTracking()
            .Where(e => !e.Counted && messages.Any(m => m.Id == e.MessageId))
            .GroupBy(e => new { e.Verdict, e.Kind })
            .Select(g => new { g.Key.Verdict, g.Key.Kind, Count = g.Count() })
            .ToListAsync(cancellationToken))
        .Select(g => new AutomatedHits(g.Verdict, g.Kind, g.Count))
        .OrderBy(g => g.Kind).ThenByDescending(g => g.Count)
        .ToList();

    private static async Task<IReadOnlyList<TopLink>> TopLinksAsync(MailTrackerDbContext db, IQueryable<Message> messages, CancellationToken cancellationToken) =>
        (await db.TrackedLinks.AsNoTracking()
            .Where(l => l.ClickCount > 0 && messages.Any(m => m.Id == l.MessageId && m.LinkTracking))
            .GroupBy(l => l.Url)
            .Select(g => new { Url = g.Key, Clicks = g.Sum(l => l.ClickCount), Messages = g.Select(l => l.MessageId).Distinct().Count() })
            .OrderByDescending(g => g.Clicks).ThenBy(g => g.Url)
            .Take(10)
            .ToListAsync(cancellationToken))
        .Select(g => new TopLink(g.Url, g.Clicks, g.Messages))
        .ToList();

    private static async Task<IReadOnlyList<UserInsights>> UsersAsync(MailTrackerDbContext db, Dictionary<string, int[]> perUser, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking()
            .OrderBy(u => u.DisplayName).ThenBy(u => u.Email)
            .Select(u => new { u.Id, u.DisplayName, u.Email })
            .ToListAsync(cancellationToken);
        return users
            .Where(u => perUser.ContainsKey(u.Id))
            .Select(u =>
            {
                var v = perUser[u.Id];
                return new UserInsights(u.Id, u.DisplayName.Length > 0 ? u.DisplayName : u.Email ?? "", v[0], v[1], v[2], v[3], v[4]);
            })
            .ToList();
    }

    private static IQueryable<Message> Scope(MailTrackerDbContext db, string userId, bool team, DateTime fromUtc, DateTime toUtc)
    {
        // Compared with a parameter, not tested bare: SQLite uses an index column only for an equality, and the
        // (owner, folder, tracked, date, …) index covers the charts' grouping (bench/mailbox.sh).
        var tracked = true;
        var messages = db.Messages.AsNoTracking().Where(m => m.Folder == MailFolder.Sent && m.IsTracked == tracked && m.Date >= fromUtc && m.Date < toUtc);
        return team ? messages : messages.Where(m => m.OwnerId == userId);
    }

    /// <summary>The range as UTC instants: from the start of <c>From</c> to the end of <c>To</c> in the user's time zone.</summary>
    internal static (DateTime From, DateTime To) UtcRange(InsightsQuery query)
    {
        var to = query.To < query.From ? query.From : query.To;
        return (LocalMidnightToUtc(query.From, query.TimeZone), LocalMidnightToUtc(to.AddDays(1), query.TimeZone));
    }

    private static DateTime LocalMidnightToUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Midnight may not exist (a DST gap at 00:00); the first moment of the day then is an hour later.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    internal static IReadOnlyList<DateOnly> BucketStarts(InsightsQuery query)
    {
        var to = query.To < query.From ? query.From : query.To;
        var starts = new List<DateOnly>();
        var start = query.Interval switch
        {
            InsightsInterval.Week => query.From.AddDays(-(((int)query.From.DayOfWeek + 6) % 7)),
            InsightsInterval.Month => new DateOnly(query.From.Year, query.From.Month, 1),
            _ => query.From,
        };
        for (var s = start; s <= to && starts.Count < 1000; s = Next(s, query.Interval))
        {
            starts.Add(s);
        }

        return starts;
    }

    private static DateOnly Next(DateOnly start, InsightsInterval interval) => interval switch
    {
        InsightsInterval.Week => start.AddDays(7),
        InsightsInterval.Month => start.AddMonths(1),
        _ => start.AddDays(1),
    };

    private static void Add(int[] sum, int[] values)
    {
        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] += values[i];
        }
    }

    private static InsightsPoint Point(DateOnly start, int[] v) => new(start, v[0], v[1], v[2], v[3], v[4]);
}
