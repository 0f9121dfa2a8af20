using MailTracker.Core.Notifications;
using Microsoft.AspNetCore.Components;

namespace MailTracker.Web.Live;

/// <summary>
/// The one way a component follows live changes: it subscribes to the circuit's <see cref="LiveUpdates"/> before it
/// first renders, runs <see cref="OnLiveEventAsync"/> on the renderer (<c>InvokeAsync</c>), reports a failure there
/// to the circuit's error boundary (<c>DispatchExceptionAsync</c>) and unsubscribes when it is disposed.
/// </summary>
public abstract class LiveComponentBase : ComponentBase, IDisposable
{
    private bool _subscribed;

    [Inject]
    private LiveUpdates Live { get; set; } = default!;

    public override Task SetParametersAsync(ParameterView parameters)
    {
        if (!_subscribed)
        {
            _subscribed = true;
            Live.Received += OnReceivedAsync;
        }

        return base.SetParametersAsync(parameters);
    }

    /// <summary>A change for this user (or <see cref="LiveUpdates.Resync"/> after a reconnect), on the renderer's context.</summary>
    protected abstract Task OnLiveEventAsync(UserPushEvent pushEvent);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing && _subscribed)
        {
            Live.Received -= OnReceivedAsync;
            _subscribed = false;
        }
    }

    private Task OnReceivedAsync(UserPushEvent pushEvent) => InvokeAsync(async () =>
    {
        try
        {
            await OnLiveEventAsync(pushEvent);
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    });
}
