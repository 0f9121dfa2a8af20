namespace MailTracker.Core.Notifications;

/// <summary>What changed for a user, pushed to every tab where they are signed in.</summary>
/// <param name="Kind">One of the <see cref="UserPushKinds"/>.</param>
/// <param name="MessageId">The message whose state changed, if any.</param>
/// <param name="NotificationId">The bell entry created or updated, if any.</param>
public sealed record UserPushEvent(string Kind, long? MessageId, long? NotificationId);

public static class UserPushKinds
{
    /// <summary>A tracked message was opened or clicked (its icons and maybe the bell change).</summary>
    public const string Tracking = "tracking";

    /// <summary>A message changed folder or status (sent, failed, retried).</summary>
    public const string Message = "message";

    /// <summary>Bell entries were marked read elsewhere.</summary>
    public const string NotificationsRead = "notifications-read";

    /// <summary>An admin deactivated the user or changed their role: open pages reload (and sign in again).</summary>
    public const string AccountChanged = "account-changed";

    /// <summary>The mailbox sync made progress, finished a pass or failed (Settings › Email integration shows it).</summary>
    public const string Sync = "sync";

    /// <summary>A webhook endpoint was disabled for failing, or its deliveries changed (Settings › Integrations, the bell).</summary>
    public const string Integrations = "integrations";
}

/// <summary>
/// Sends a <see cref="UserPushEvent"/> to one user only, on whichever app instance their browser is connected to.
/// The web app backs it with SignalR (<c>Clients.User</c>, with the Redis backplane when scaled out).
/// </summary>
public interface IUserPush
{
    Task PushAsync(string userId, UserPushEvent pushEvent, CancellationToken cancellationToken = default);
}
