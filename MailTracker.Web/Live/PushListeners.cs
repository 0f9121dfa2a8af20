using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using MailTracker.Core.Tracking;

namespace MailTracker.Web.Live;

/// <summary>Tells the sender's browsers about committed tracking hits: their icons, and the bell.</summary>
public sealed class PushTrackingHits(IUserPush push) : ITrackingHitListener
{
    public async Task OnHitsRecordedAsync(IReadOnlyList<RecordedHit> hits, CancellationToken cancellationToken)
    {
        // Hits the sender never sees (scanner, prefetch, themselves) change nothing on screen.
        foreach (var hit in hits.Where(h => h.Counted))
        {
            await push.PushAsync(hit.OwnerId, new UserPushEvent(UserPushKinds.Tracking, hit.MessageId, hit.NotificationId), cancellationToken);
        }
    }
}

/// <summary>Tells the owner's browsers that a message moved (sent, failed, waiting to retry).</summary>
public sealed class PushMessageChanges(IUserPush push) : IMessageSentListener
{
    public Task OnMessageChangedAsync(string ownerId, long messageId, CancellationToken cancellationToken) =>
        push.PushAsync(ownerId, new UserPushEvent(UserPushKinds.Message, messageId, null), cancellationToken);
}
