using Bunit;
using MailTracker.Web.Components.Pages.Mail;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MailTracker.Tests.Components.Contacts;

/// <summary>The composer says so, before sending, when a do-not-track person is among the recipients.</summary>
public sealed class DoNotTrackNoticeTests : ContactsComponentTestBase
{
    private async Task<IRenderedComponent<MudDialogProvider>> OpenComposerAsync(string? to = null)
    {
        var dialogs = Render<MudDialogProvider>();
        var service = Services.GetRequiredService<IDialogService>();
        await dialogs.InvokeAsync(() => service.ShowAsync<ComposeDialog>("New message", new DialogParameters<ComposeDialog> { { d => d.InitialTo, to } }));
        dialogs.WaitForAssertion(() => Field(dialogs, "To"));
        return dialogs;
    }

    private static string? Notice(IRenderedComponent<MudDialogProvider> dialogs) =>
        dialogs.FindAll(".compose-do-not-track").SingleOrDefault()?.TextContent.Trim();

    [Fact]
    public async Task TypingADoNotTrackRecipientShowsTheNoticeAndRemovingThemHidesIt()
    {
        var me = await SignInWithMailboxAsync();
        await AddPersonAsync(me, "Pat", "pat@example.com", doNotTrack: true);
        await AddPersonAsync(me, "Tim", "tim@example.com");
        var dialogs = await OpenComposerAsync();
        Assert.Null(Notice(dialogs));

        await Field(dialogs, "To").InputAsync(new() { Value = "tim@example.com, PAT@example.com" });

        dialogs.WaitForAssertion(() => Assert.Equal("This message will not be tracked: Pat (pat@example.com) is marked Do not track.", Notice(dialogs)));

        await Field(dialogs, "To").InputAsync(new() { Value = "tim@example.com" });

        dialogs.WaitForAssertion(() => Assert.Null(Notice(dialogs)));
    }

    [Fact]
    public async Task ADoNotTrackRecipientInBccCountsToo()
    {
        var me = await SignInWithMailboxAsync();
        await AddPersonAsync(me, "Pat", "pat@example.com", doNotTrack: true);
        var dialogs = await OpenComposerAsync("tim@example.com");
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Add Cc or Bcc").ClickAsync(new());

        await Field(dialogs, "Bcc").InputAsync(new() { Value = "pat@example.com" });

        dialogs.WaitForAssertion(() => Assert.Contains("will not be tracked", Notice(dialogs)));
    }

    [Fact]
    public async Task AComposerOpenedForADoNotTrackPersonShowsTheNoticeStraightAway()
    {
        var me = await SignInWithMailboxAsync();
        await AddPersonAsync(me, "Pat", "pat@example.com", doNotTrack: true);
        await AddPersonAsync(me, "Quinn", "quinn@example.com", doNotTrack: true);

        var dialogs = await OpenComposerAsync("Pat <pat@example.com>, quinn@example.com");

        dialogs.WaitForAssertion(() => Assert.Equal(
            "This message will not be tracked: Pat (pat@example.com), Quinn (quinn@example.com) are marked Do not track.", Notice(dialogs)));
    }

    [Fact]
    public async Task AnotherUsersDoNotTrackPersonShowsNoNotice()
    {
        await SignInWithMailboxAsync();
        var other = await AddOtherUserAsync("other@example.com");
        await AddPersonAsync(other, "Pat", "pat@example.com", doNotTrack: true);
        var dialogs = await OpenComposerAsync();

        await Field(dialogs, "To").InputAsync(new() { Value = "pat@example.com" });

        // The lookup is a round trip; the notice would have appeared by the time the field re-rendered.
        dialogs.WaitForAssertion(() => Assert.Equal("pat@example.com", Field(dialogs, "To").GetAttribute("value")));
        Assert.Null(Notice(dialogs));
    }
}
