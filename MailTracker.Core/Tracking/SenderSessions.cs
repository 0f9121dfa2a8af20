using System.Collections.Concurrent;
using System.Net;
using MailTracker.Core.Data;
using MailTracker.Core.Tracking.Verdicts;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Tracking;

/// <summary>
/// Remembers each signed-in user's recent sessions (address and user agent, for <see cref="Remembered"/>) so the
/// verdict engine can tell the sender's own views from a recipient's. Writes at most once per session per
/// <see cref="RefreshEvery"/>.
/// </summary>
public sealed class SenderSessions(IDbContextFactory<MailTrackerDbContext> contextFactory, TimeProvider time)
{
    /// <summary>How long a session is remembered after it was last seen.</summary>
    public static readonly TimeSpan Remembered = TimeSpan.FromDays(30);

    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<(string, string, string), DateTime> _written = new();
    private readonly ConcurrentDictionary<string, (DateTime Loaded, IReadOnlyList<SenderSession> Sessions)> _byUser = new();

    /// <summary>Notes that <paramref name="userId"/> uses the app from this address and browser.</summary>
    public async Task RememberAsync(string userId, IPAddress address, string userAgent, CancellationToken cancellationToken)
    {
        var ip = (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
        var agent = userAgent.Length > TrackingHit.MaxStoredUserAgent ? userAgent[..TrackingHit.MaxStoredUserAgent] : userAgent;
        var now = time.GetUtcNow().UtcDateTime;
        var key = (userId, ip, agent);
        if (_written.TryGetValue(key, out var last) && now - last < RefreshEvery)
        {
            return;
        }

        _written[key] = now;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var updated = await db.SenderSessions.Where(s => s.UserId == userId && s.IpAddress == ip && s.UserAgent == agent)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), cancellationToken);
        if (updated == 0)
        {
            db.SenderSessions.Add(new SenderSessionRecord { UserId = userId, IpAddress = ip, UserAgent = agent, LastSeenAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }

        _byUser.TryRemove(userId, out _);
    }

    /// <summary>The sessions of these users seen within <see cref="Remembered"/>, per user (kept for a minute).</summary>
    public async Task<Dictionary<string, IReadOnlyList<SenderSession>>> RecentAsync(IEnumerable<string> userIds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var result = new Dictionary<string, IReadOnlyList<SenderSession>>();
        var missing = new List<string>();
        foreach (var id in userIds.Distinct())
        {
            if (_byUser.TryGetValue(id, out var cached) && now - cached.Loaded < TimeSpan.FromMinutes(1))
            {
                result[id] = cached.Sessions;
            }
            else
            {
                missing.Add(id);
            }
        }

        if (missing.Count > 0)
        {
            var since = now - Remembered;
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var rows = await db.SenderSessions.AsNoTracking().Where(s => missing.Contains(s.UserId) && s.LastSeenAt >= since)
                .Select(s => new { s.UserId, s.IpAddress, s.UserAgent }).ToListAsync(cancellationToken);
            foreach (var id in missing)
            {
                IReadOnlyList<SenderSession> sessions = rows.Where(r => r.UserId == id && IPAddress.TryParse(r.IpAddress, out _))
                    .Select(r => new SenderSession(IPAddress.Parse(r.IpAddress), r.UserAgent)).ToList();
                _byUser[id] = (now, sessions);
                result[id] = sessions;
            }
        }

        return result;
    }
}
