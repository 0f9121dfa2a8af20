using MailTracker.Core.Accounts;
using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Verdicts;
using Microsoft.EntityFrameworkCore;

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
        var messages = Scope(db, userId, query.Team, fromUtc, toUtc);

        // The automated share and the top links read other tables: on their own connection, at the same time.
        var sideTask = SideFiguresAsync(userId, query, fromUtc, toUtc, cancellationToken);

        // Grouped in the database by UTC hour (quarter-hour where the zone's offset is not whole hours), then folded into
        // the user's local buckets here: a day in the user's time zone is not a UTC day, and both providers group by hour
        // cheaply, cheaper than reading every row (bench/mailbox.sh).
        var quarters = NeedsQuarterHours(query.TimeZone, fromUtc, toUtc);
        var groups = await messages
            .GroupBy(m => new { m.OwnerId, m.Date.Year, m.Date.DayOfYear, m.Date.Hour, Quarter = quarters ? m.Date.Minute / 15 : 0 })
            .Select(g => new
            {
                g.Key.OwnerId,
                g.Key.Year,
                g.Key.DayOfYear,
                g.Key.Hour,
                g.Key.Quarter,
                Sent = g.Count(),
                OpenTracked = g.Count(m => m.OpenTracking),
                Opened = g.Count(m => m.OpenTracking && m.OpenCount > 0),
                LinkTracked = g.Count(m => m.LinkTracking),
                Clicked = g.Count(m => m.LinkTracking && m.ClickCount > 0),
            })
            .ToListAsync(cancellationToken);

        var starts = BucketStarts(query);
        var boundaries = starts.Select(s => LocalMidnightToUtc(s, query.TimeZone)).ToArray();
        var points = starts.Select(s => new int[5]).ToArray();
        var perUser = new Dictionary<string, int[]>();
        foreach (var g in groups)
        {
            var utc = new DateTime(g.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(g.DayOfYear - 1).AddHours(g.Hour).AddMinutes(g.Quarter * 15);
            var index = Array.BinarySearch(boundaries, utc);
            index = index >= 0 ? index : ~index - 1;
            if (index < 0)
            {
                continue;
            }

            int[] values = [g.Sent, g.OpenTracked, g.Opened, g.LinkTracked, g.Clicked];
            Add(points[index], values);
            if (query.Team)
            {
                Add(perUser.TryGetValue(g.OwnerId, out var sums) ? sums : perUser[g.OwnerId] = new int[5], values);
            }
        }

        var series = starts.Select((s, i) => Point(s, points[i])).ToList();
        var total = Point(query.From, points.Aggregate(new int[5], (sum, p) => { Add(sum, p); return sum; }));

        var users = query.Team ? await UsersAsync(db, perUser, cancellationToken) : [];
        var (automated, topLinks) = await sideTask;
        return new InsightsOverview(series, total, automated, topLinks, users);
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

    private static bool NeedsQuarterHours(TimeZoneInfo zone, DateTime fromUtc, DateTime toUtc) =>
        zone.BaseUtcOffset.Minutes != 0 || zone.GetUtcOffset(fromUtc).Minutes != 0 || zone.GetUtcOffset(toUtc).Minutes != 0;

    private static void Add(int[] sum, int[] values)
    {
        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] += values[i];
        }
    }

    private static InsightsPoint Point(DateOnly start, int[] v) => new(start, v[0], v[1], v[2], v[3], v[4]);
}
