using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using MailTracker.Core.Tracking;

namespace MailTracker.Web.Live;

/// <summary>Tells the owner's browsers that a message moved (sent, failed, waiting to retry).</summary>
public sealed class PushMessageChanges(IUserPush push) : IMessageSentListener
{
    public Task OnMessageChangedAsync(string ownerId, long messageId, CancellationToken cancellationToken) =>
        push.PushAsync(ownerId, new UserPushEvent(UserPushKinds.Message, messageId, null), cancellationToken);
}
