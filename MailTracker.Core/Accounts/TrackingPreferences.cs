using MailTracker.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Accounts;

/// <summary>A user's tracking switches, and whether the workspace's plan includes tracking at all.</summary>
public sealed record TrackingSettings(bool OpenTracking, bool LinkTracking, Plan Plan, bool TrackEachRecipient = false)
{
    public bool Available => Plan >= Plan.Gold;
}

/// <summary>
/// The Open tracking and Link tracking switches of Settings › Email integration. A switch that is off removes its
/// toggle from the composer; below the Gold plan neither can be changed (and the composer offers no tracking).
/// </summary>
public sealed class TrackingPreferences(IDbContextFactory<MailTrackerDbContext> contextFactory)
{
    public async Task<TrackingSettings> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.OpenTrackingEnabled, u.LinkTrackingEnabled, u.TrackEachRecipient }).SingleAsync(cancellationToken);
        var plan = (await db.Workspaces.AsNoTracking().SingleAsync(cancellationToken)).Plan;
        return new TrackingSettings(user.OpenTrackingEnabled, user.LinkTrackingEnabled, plan, user.TrackEachRecipient);
    }

    /// <summary>Stores both switches; false (and nothing stored) when the plan does not include tracking.</summary>
    public async Task<bool> SetAsync(string userId, bool openTracking, bool linkTracking, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!(await db.Workspaces.SingleAsync(cancellationToken)).IncludesTracking)
        {
            return false;
        }

        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(
            s => s.SetProperty(u => u.OpenTrackingEnabled, openTracking).SetProperty(u => u.LinkTrackingEnabled, linkTracking), cancellationToken);
        return true;
    }

    /// <summary>Stores "Track each recipient separately", the composer's default; false (and nothing stored) below Gold.</summary>
    public async Task<bool> SetTrackEachRecipientAsync(string userId, bool on, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!(await db.Workspaces.SingleAsync(cancellationToken)).IncludesTracking)
        {
            return false;
        }

        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.TrackEachRecipient, on), cancellationToken);
        return true;
    }
}
