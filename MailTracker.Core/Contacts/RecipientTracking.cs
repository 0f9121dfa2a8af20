using MailTracker.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Contacts;

/// <summary>Recipients whose mail goes out untracked, and why: people marked Do not track, and addresses at the workspace's never-track domains.</summary>
public sealed record UntrackedRecipients(IReadOnlyList<PersonOption> DoNotTrack, IReadOnlyList<string> NeverTrackDomain)
{
    public static readonly UntrackedRecipients None = new([], []);

    public bool Any => DoNotTrack.Count > 0 || NeverTrackDomain.Count > 0;

    /// <summary>The reason stored on the message (<see cref="TrackingSuppression"/>): do-not-track people first, as the sender promised them.</summary>
    public string? Reason => DoNotTrack.Count > 0
        ? TrackingSuppression.DoNotTrack(DoNotTrack.Select(p => p.Email).Distinct().Order(StringComparer.Ordinal))
        : NeverTrackDomain.Count > 0 ? TrackingSuppression.NeverTrackDomain(NeverTrackDomain) : null;
}

/// <summary>
/// The one rule for "may mail to these recipients be tracked": not when any of them (Bcc too) is one of the sender's
/// people marked Do not track, nor when any is at a domain the workspace never tracks. The composer asks it to warn,
/// the outbox asks it when queueing.
/// </summary>
public static class RecipientTracking
{
    /// <summary>The untracked recipients among <paramref name="addresses"/> (normalised) for mail from <paramref name="userId"/>.</summary>
    internal static async Task<UntrackedRecipients> FindAsync(MailTrackerDbContext db, string userId, IReadOnlyCollection<string> addresses, CancellationToken cancellationToken)
    {
        if (addresses.Count == 0)
        {
            return UntrackedRecipients.None;
        }

        var doNotTrack = await ContactBook.DoNotTrackRecipients(db, userId, addresses)
            .Join(db.People, e => e.PersonId, p => p.Id, (e, p) => new PersonOption(p.Id, p.Name, e.Address))
            .ToListAsync(cancellationToken);
        var workspace = await db.Workspaces.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var internalAddresses = workspace is null ? [] : addresses.Where(workspace.IsNeverTracked).Order(StringComparer.Ordinal).ToList();
        return new UntrackedRecipients(doNotTrack, internalAddresses);
    }
}
