using Bunit;
using MailTracker.Tests.Components.Contacts;
using MailTracker.Web.Components.Pages.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MailTracker.Tests.Components.Mail;

/// <summary>The composer's side of templates: a field the app does not know is named before anything is sent.</summary>
public sealed class TemplateComposerTests : ContactsComponentTestBase
{
    [Fact]
    public async Task AnUnknownFieldInTheSubjectIsNamedUnderItAndNothingIsSent()
    {
        var userId = await SignInWithMailboxAsync();
        var dialogs = Render<MudDialogProvider>();
        var service = Services.GetRequiredService<IDialogService>();
        await dialogs.InvokeAsync(() => service.ShowAsync<ComposeDialog>("New message", new DialogParameters<ComposeDialog> { { d => d.InitialTo, "Anna <anna@client.test>" } }));
        dialogs.WaitForAssertion(() => Field(dialogs, "Subject"));

        await Field(dialogs, "Subject").InputAsync(new() { Value = "Hello {{frist_name}}" });
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Send").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Contains("There is no field {{frist_name}}. Use one of: {{first_name}}, ", dialogs.Markup));
        Assert.NotNull(dialogs.FindAll("button").SingleOrDefault(b => b.TextContent.Trim() == "Insert template"));
        Assert.NotNull(dialogs.FindAll("button").SingleOrDefault(b => b.TextContent.Trim() == "Save as template"));
        await using var db = await Db();
        Assert.False(await db.Messages.AnyAsync(m => m.OwnerId == userId));
    }
}
