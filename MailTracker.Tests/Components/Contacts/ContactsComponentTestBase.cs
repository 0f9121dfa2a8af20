using AngleSharp.Dom;
using Bunit;
using MailTracker.Core.Accounts;
using MailTracker.Core.Contacts;
using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MailTracker.Tests.Components.Contacts;

/// <summary>
/// The bUnit base plus what the contacts pages and the composer use (people, deals, history, outbox, plan),
/// and seeding helpers that write through the real services and entities.
/// </summary>
public abstract class ContactsComponentTestBase : ComponentTestBase
{
    protected ContactsComponentTestBase()
    {
        Services.AddSingleton<ContactBook>();
        Services.AddSingleton<DealPipeline>();
        Services.AddSingleton<EmailHistory>();
    }

    protected DateTime Now => Clock.GetUtcNow().UtcDateTime;

    protected ContactBook People => Services.GetRequiredService<ContactBook>();

    protected DealPipeline Deals => Services.GetRequiredService<DealPipeline>();

    /// <summary>Signs a user in with a sandbox mailbox on a Gold workspace, as /setup would leave them.</summary>
    protected async Task<string> SignInWithMailboxAsync(string email = "rep@example.com", string name = "Rep")
    {
        var userId = await SignInAsync(email, name);
        await AddMailboxAsync(userId, email);
        return userId;
    }

    protected async Task<string> AddOtherUserAsync(string email)
    {
        await using var db = await Db();
        var user = new AppUser { UserName = email, Email = email, DisplayName = email };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        await AddMailboxAsync(user.Id, email);
        return user.Id;
    }

    protected async Task<int> AddPersonAsync(string ownerId, string name, string email, bool doNotTrack = false)
    {
        var result = await People.AddAsync(ownerId, new PersonInput { Name = name, Email = email, DoNotTrack = doNotTrack });
        Assert.True(result.Succeeded, string.Join(", ", result.Errors));
        return result.Id!.Value;
    }

    /// <summary>A message already sent, optionally tracked and opened, dated <paramref name="minutesAgo"/> before now.</summary>
    protected async Task<long> AddSentAsync(
        string ownerId, string to, string subject, int minutesAgo, bool tracked = true, int opens = 0, int? dealId = null, int? personId = null)
    {
        await using var db = await Db();
        var account = await db.MailAccounts.FirstAsync(a => a.OwnerId == ownerId);
        var at = Now.AddMinutes(-minutesAgo);
        var message = Message.Queue(new OutgoingMail
        {
            OwnerId = ownerId,
            MailAccountId = account.Id,
            FromAddress = account.EmailAddress,
            To = to,
            Subject = subject,
            HtmlBody = "<p>Hello</p>",
            TextBody = "Hello",
            OpenTracking = tracked,
            LinkTracking = tracked,
            DealId = dealId,
            PersonId = personId,
            MessageIdHeader = $"{Guid.NewGuid():N}@example.com",
        }, at);
        message.MarkSent(at);
        db.Messages.Add(message);
        await db.SaveChangesAsync();
        if (opens > 0)
        {
            await RecordOpensAsync(message.Id, opens);
        }

        return message.Id;
    }

    /// <summary>What the tracking writer commits for counted opens: the message's summary columns.</summary>
    protected async Task RecordOpensAsync(long messageId, int opens)
    {
        await using var db = await Db();
        await db.Messages.Where(m => m.Id == messageId).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.OpenCount, opens)
            .SetProperty(m => m.FirstOpenedAt, Now.AddMinutes(-1))
            .SetProperty(m => m.LastOpenedAt, Now));
    }

    /// <summary>The text field whose label reads <paramref name="label"/> (MudBlazor links them with for/id).</summary>
    protected static IElement Field<T>(IRenderedComponent<T> root, string label)
        where T : IComponent
    {
        var labelElement = root.FindAll("label").FirstOrDefault(l => l.TextContent.Trim() == label)
            ?? throw new InvalidOperationException($"No field labelled '{label}'.");
        return root.Find($"#{labelElement.GetAttribute("for")}");
    }

    private async Task AddMailboxAsync(string userId, string email)
    {
        await using var db = await Db();
        if (!await db.Workspaces.AnyAsync())
        {
            db.Workspaces.Add(new Workspace());
        }

        db.MailAccounts.Add(new MailAccount { OwnerId = userId, EmailAddress = email, DisplayName = email, IsSandbox = true });
        await db.SaveChangesAsync();
    }
}
