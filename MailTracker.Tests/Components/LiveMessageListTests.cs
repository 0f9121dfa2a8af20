using Bunit;
using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using MailTracker.Tests.Infrastructure;
using MailTracker.Web.Components.Shared;
using MailTracker.Web.Live;
using Microsoft.Extensions.DependencyInjection;

namespace MailTracker.Tests.Components;

public sealed class LiveMessageListTests : ComponentTestBase
{
    [Fact]
    public async Task ABurstOfSyncPushesIsFoldedIntoOneMoreReload()
    {
        await SignInAsync();
        var loads = 0;
        var gate = new TaskCompletionSource();
        var synced = new MessageListItem { Id = 7, Folder = MailFolder.Inbox, Subject = "Synced reply", Date = Clock.GetUtcNow().UtcDateTime };

        async Task<MailListPage> Load((DateTime Date, long Id)? before)
        {
            if (++loads == 1)
            {
                return new MailListPage([], false);
            }

            await gate.Task;
            return new MailListPage([synced], false);
        }

        var history = Render<EmailHistorySection>(p => p.Add(c => c.Load, Load).Add(c => c.EmptyText, "Nothing yet"));
        history.WaitForAssertion(() => Assert.Equal("Nothing yet", history.Find(".email-history-empty").TextContent));

        // Five batches stored by a sync while the first reload is still reading.
        var live = Services.GetRequiredService<LiveUpdates>();
        var pushes = Enumerable.Range(0, 5).Select(_ => live.PublishAsync(new UserPushEvent(UserPushKinds.Message, null, null))).ToList();
        gate.SetResult();
        await Task.WhenAll(pushes);

        history.WaitForAssertion(() => Assert.Equal("Synced reply", history.Find(".message-subject").TextContent));
        Assert.Equal(3, loads);
    }
}
