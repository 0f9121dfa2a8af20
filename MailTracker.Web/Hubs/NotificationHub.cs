using MailTracker.Core.Notifications;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace MailTracker.Web.Hubs;

/// <summary>
/// The live channel to a signed-in user's browser tabs. Push only: the server sends <see cref="UserPushEvent"/>s
/// with <c>Clients.User</c>, so a connection receives its own user's events and nobody else's.
/// </summary>
[Authorize]
public sealed class NotificationHub : Hub
{
    public const string Path = "/hubs/notifications";

    public const string PushMethod = "push";
}

/// <summary><see cref="IUserPush"/> over SignalR; with <c>SignalR:Redis</c> set, the Redis backplane carries it to other instances.</summary>
public sealed class SignalRUserPush(IHubContext<NotificationHub> hub) : IUserPush
{
    public Task PushAsync(string userId, UserPushEvent pushEvent, CancellationToken cancellationToken = default) =>
        hub.Clients.User(userId).SendAsync(NotificationHub.PushMethod, pushEvent, cancellationToken);
}
