using MailTracker.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MailTracker.Core.Privacy;

/// <summary>
/// Deletes the raw data of tracking events — the client address and user agent — and keeps what they were judged to be
/// (source, counted, kind, time): after <see cref="PrivacyOptions.RawDataDays"/>, or at once for one person's mail.
/// </summary>
public sealed class RawTrackingData(IDbContextFactory<MailTrackerDbContext> contextFactory, IOptions<PrivacyOptions> options, TimeProvider time)
{
    /// <summary>Clears one batch of raw data older than the retention; returns how many events it cleared (0: nothing left).</summary>
    public async Task<int> PurgeBatchAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-options.Value.RawDataDays);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var ids = db.TrackingEvents
            .Where(e => e.OccurredAt < cutoff && (e.IpAddress != null || e.UserAgent != null))
            .OrderBy(e => e.Id)
            .Select(e => e.Id)
            .Take(PrivacyOptions.BatchSize);
        return await db.TrackingEvents.Where(e => ids.Contains(e.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.IpAddress, (string?)null).SetProperty(e => e.UserAgent, (string?)null), cancellationToken);
    }

    /// <summary>
    /// "Forget tracking data": clears the raw data of every hit on the owner's mail to or from one of their people (any
    /// of the person's addresses). False when the person is not the user's.
    /// </summary>
    public async Task<bool> ForgetPersonAsync(string userId, int personId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.People.AnyAsync(p => p.Id == personId && p.OwnerId == userId, cancellationToken))
        {
            return false;
        }

        var addresses = db.PersonEmails.Where(e => e.PersonId == personId).Select(e => e.Address);
        var messages = db.Messages.Where(m => m.OwnerId == userId
            && (m.PersonId == personId || db.MessageParticipants.Any(p => p.MessageId == m.Id && addresses.Contains(p.Address))));
        await db.TrackingEvents
            .Where(e => (e.IpAddress != null || e.UserAgent != null) && messages.Any(m => m.Id == e.MessageId))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.IpAddress, (string?)null).SetProperty(e => e.UserAgent, (string?)null), cancellationToken);
        return true;
    }
}
