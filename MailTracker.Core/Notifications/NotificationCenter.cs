using MailTracker.Core.Data;
using MailTracker.Core.Tracking;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Notifications;

/// <summary>A bell entry as the panel shows it.</summary>
public sealed record NotificationItem(long Id, long MessageId, TrackingKind Kind, string Actor, string Subject, string? Url, int Count, DateTime UpdatedAt, bool IsRead, BellCause Cause = BellCause.Counted)
{
    /// <summary>Set for a follow-up reminder's entry.</summary>
    public Messages.ReminderCondition? FollowUp { get; init; }
}

/// <summary>The bell's data: a user's notifications, newest first, and marking them read. Scoped to the user.</summary>
public sealed class NotificationCenter(IDbContextFactory<MailTrackerDbContext> contextFactory, IUserPush push)
{
    public async Task<int> UnreadCountAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Notifications.CountAsync(n => n.UserId == userId && !n.IsRead, cancellationToken);
    }

    /// <summary>A page of entries, newest first; pass the last entry's (time, id) to page in older ones.</summary>
    public async Task<IReadOnlyList<NotificationItem>> ListAsync(string userId, (DateTime UpdatedAt, long Id)? before = null, int take = 20, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        if (before is { } b)
        {
            query = query.Where(n => n.UpdatedAt < b.UpdatedAt || (n.UpdatedAt == b.UpdatedAt && n.Id < b.Id));
        }

        return await query.OrderByDescending(n => n.UpdatedAt).ThenByDescending(n => n.Id).Take(take)
            .Select(n => new NotificationItem(n.Id, n.MessageId, n.Kind, n.Actor, n.Subject, n.Url, n.Count, n.UpdatedAt, n.IsRead, n.Cause) { FollowUp = n.FollowUp })
            .ToListAsync(cancellationToken);
    }

    /// <summary>One of the user's bell entries, fresh (a desktop notification words it); null if it is not theirs or is gone.</summary>
    public async Task<NotificationItem?> GetAsync(string userId, long notificationId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Notifications.AsNoTracking().Where(n => n.Id == notificationId && n.UserId == userId)
            .Select(n => new NotificationItem(n.Id, n.MessageId, n.Kind, n.Actor, n.Subject, n.Url, n.Count, n.UpdatedAt, n.IsRead, n.Cause) { FollowUp = n.FollowUp })
            .SingleOrDefaultAsync(cancellationToken);
    }

    public async Task MarkReadAsync(string userId, long notificationId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var changed = await db.Notifications.Where(n => n.Id == notificationId && n.UserId == userId && !n.IsRead)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.IsRead, true), cancellationToken);
        if (changed > 0)
        {
            await push.PushAsync(userId, new UserPushEvent(UserPushKinds.NotificationsRead, null, notificationId), cancellationToken);
        }
    }

    public async Task MarkAllReadAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var changed = await db.Notifications.Where(n => n.UserId == userId && !n.IsRead)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.IsRead, true), cancellationToken);
        if (changed > 0)
        {
            await push.PushAsync(userId, new UserPushEvent(UserPushKinds.NotificationsRead, null, null), cancellationToken);
        }
    }
}
