using MailTracker.Core.Notifications;

namespace MailTracker.Web.Live;

/// <summary>
/// The circuit's subscription point for live changes. <see cref="LiveConnection"/> feeds it from the browser's
/// SignalR connection; components subscribe, marshal with <c>InvokeAsync</c>, and unsubscribe on dispose.
/// </summary>
public sealed class LiveUpdates
{
    /// <summary>Published after the browser reconnects: reload everything shown.</summary>
    public const string Resync = "resync";

    public event Func<UserPushEvent, Task>? Received;

    public async Task PublishAsync(UserPushEvent pushEvent)
    {
        if (Received is { } handlers)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<Func<UserPushEvent, Task>>())
            {
                await handler(pushEvent);
            }
        }
    }
}
