using MailTracker.Core.Accounts;
using MailTracker.Core.Contacts;
using MailTracker.Core.Messages;
using MailTracker.Core.Templates;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Templates;

/// <summary>Templates against the real app: fields filled from the recipient's person, who sees and changes what, and the rates.</summary>
public sealed class TemplateTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    private TemplateLibrary Library => app.Service<TemplateLibrary>();

    private OutboxService Outbox => app.Service<OutboxService>();

    private static HttpClient MailClient(MailTrackerApp app)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
        return client;
    }

    private async Task<int> TemplateAsync(AppUser owner, string name, bool shared = false, string subject = "Hello {{first_name}}", string body = "<p>Hi</p>")
    {
        var (id, error) = await Library.CreateAsync(owner.Id, new TemplateDetails { Name = name, Subject = subject, HtmlBody = body, OpenTracking = true, LinkTracking = true, Shared = shared });
        Assert.Null(error);
        return id!.Value;
    }

    [Fact]
    public async Task FieldsAreFilledFromTheRecipientsPersonAndHtmlEncodedInTheBody()
    {
        var user = await app.CreateUserAsync("fields@tpl.test", name: "Sam Seller", role: Roles.User);
        await app.Service<ContactBook>().AddAsync(user.Id, new PersonInput { Name = "Hank <b>Hill</b> Jr", Email = "hank@arlen.example", Organization = "Strickland & Co" });

        var result = await Outbox.QueueAsync(user.Id, new ComposeRequest
        {
            To = "hank@arlen.example",
            Subject = "Hello {{first_name}} at {{ company }}",
            HtmlBody = "<p>Dear {{full_name}} ({{last_name}}), {{email}} — {{organization}}. {{my_name}}</p>",
        });

        Assert.True(result.Succeeded, string.Join(", ", result.Errors));
        await using var db = await app.DbAsync();
        var message = await db.Messages.SingleAsync(m => m.Id == result.MessageId);
        Assert.Equal("Hello Hank at Strickland & Co", message.Subject);
        Assert.Contains("Dear Hank &lt;b&gt;Hill&lt;/b&gt; Jr (&lt;b&gt;Hill&lt;/b&gt; Jr), hank@arlen.example — Strickland &amp; Co.", message.HtmlBody);
        Assert.DoesNotContain("<b>", message.HtmlBody);
        Assert.Contains("Sam Seller", message.HtmlBody);
        Assert.Contains("Dear Hank <b>Hill</b> Jr", message.TextBody);
    }

    [Fact]
    public async Task AnUnknownFieldIsAClearErrorAndNothingIsQueued()
    {
        var user = await app.CreateUserAsync("unknown@tpl.test", role: Roles.User);
        await app.Service<ContactBook>().AddAsync(user.Id, new PersonInput { Name = "Ivy Lane", Email = "ivy@lane.example" });

        var result = await Outbox.QueueAsync(user.Id, new ComposeRequest { To = "ivy@lane.example", Subject = "Hi {{frist_name}}", HtmlBody = "<p>{{first_name}}, {{title}}</p>" });

        Assert.False(result.Succeeded);
        Assert.Contains(new ComposeError(ComposeField.Subject, ComposeErrorKind.UnknownField, "frist_name"), result.Errors);
        Assert.Contains(new ComposeError(ComposeField.Message, ComposeErrorKind.UnknownField, "title"), result.Errors);
        var missing = await Outbox.QueueAsync(user.Id, new ComposeRequest { To = "ivy@lane.example", Subject = "Hi", HtmlBody = "<p>{{organization}}</p>" });
        Assert.Contains(new ComposeError(ComposeField.Message, ComposeErrorKind.MissingField, "organization"), missing.Errors);
        await using var db = await app.DbAsync();
        Assert.False(await db.Messages.AnyAsync(m => m.OwnerId == user.Id));
    }

    [Fact]
    public async Task APrivateTemplateIsNotFoundForAnotherUserAdminsIncluded()
    {
        var owner = await app.CreateUserAsync("owner@tpl.test", role: Roles.User);
        var other = await app.CreateUserAsync("other@tpl.test", role: Roles.Admin);
        var id = await TemplateAsync(owner, "Owner's own");
        var details = new TemplateDetails { Name = "Taken over" };

        Assert.NotNull(await Library.GetAsync(owner.Id, id));
        Assert.Null(await Library.GetAsync(other.Id, id));
        Assert.DoesNotContain(await Library.ListAsync(other.Id), t => t.Id == id);
        Assert.Equal(TemplateError.NotFound, await Library.UpdateAsync(other.Id, id, details));
        Assert.Equal(TemplateError.NotFound, await Library.DeleteAsync(other.Id, id));

        // Mail the other user writes naming it is not counted against it.
        await TestMail.SendAsync(app, other, to: "x@tpl.example", templateId: id);
        var view = Assert.Single(await Library.RatesAsync(owner.Id), r => r.Template.Id == id);
        Assert.Equal(0, view.Sent);
        Assert.Equal("Owner's own", view.Template.Name);
    }

    [Fact]
    public async Task OnlyAdminsShareOrChangeSharedTemplates()
    {
        var admin = await app.CreateUserAsync("admin@tpl.test", role: Roles.Admin);
        var user = await app.CreateUserAsync("user@tpl.test", role: Roles.User);
        var shared = await TemplateAsync(admin, "Team intro", shared: true);

        var seen = Assert.Single(await Library.ListAsync(user.Id), t => t.Id == shared);
        Assert.False(seen.CanEdit);
        Assert.Equal(TemplateError.AdminOnly, await Library.UpdateAsync(user.Id, shared, new TemplateDetails { Name = "Hijacked", Shared = true }));
        Assert.Equal(TemplateError.AdminOnly, await Library.DeleteAsync(user.Id, shared));
        Assert.Equal(TemplateError.AdminOnly, (await Library.CreateAsync(user.Id, new TemplateDetails { Name = "Mine for all", Shared = true })).Error);
        var own = await TemplateAsync(user, "Private draft");
        Assert.Equal(TemplateError.AdminOnly, await Library.UpdateAsync(user.Id, own, new TemplateDetails { Name = "Private draft", Shared = true }));

        var unchanged = await Library.GetAsync(user.Id, shared);
        Assert.Equal("Team intro", unchanged!.Name);
        Assert.Null(await Library.GetAsync(admin.Id, own));
        Assert.Null(await Library.UpdateAsync(admin.Id, shared, new TemplateDetails { Name = "Team intro v2", Shared = true }));
        Assert.Equal("Team intro v2", (await Library.GetAsync(user.Id, shared))!.Name);
    }

    [Fact]
    public async Task RatesCountTheTemplatesSentMailOwnForUsersWorkspaceForAdminsOnSharedOnes()
    {
        var admin = await app.CreateUserAsync("rates-admin@tpl.test", role: Roles.Admin);
        var rep = await app.CreateUserAsync("rates-rep@tpl.test", role: Roles.User);
        var shared = await TemplateAsync(admin, "Rates shared", shared: true, subject: "Offer");
        var mine = await TemplateAsync(rep, "Rates private", subject: "Offer");
        var html = $"<p>See <a href=\"{TestMail.PricingUrl}\">pricing</a>.</p>";

        var opened = await TestMail.SendAsync(app, rep, to: "a@rates.example", subject: "Offer A", html: html, templateId: mine);
        await TestMail.SendAsync(app, rep, to: "b@rates.example", subject: "Offer B", html: html, templateId: mine);
        var clicked = await TestMail.SendAsync(app, rep, to: "c@rates.example", subject: "Offer C", html: html, templateId: shared);
        await TestMail.SendAsync(app, admin, to: "d@rates.example", subject: "Offer D", html: html, templateId: shared);
        await TestMail.SendAsync(app, admin, to: "e@rates.example", subject: "Offer E", html: html, templateId: shared, openTracking: false, linkTracking: false);
        using (var client = MailClient(app))
        {
            await client.GetAsync($"/t/o/{opened.OpenToken}.gif");
            await client.GetAsync($"/t/o/{clicked.OpenToken}.gif");
            await client.GetAsync($"/t/c/{clicked.ClickTokens[0]}");
        }

        await app.ProjectedAsync();

        var repPrivate = Assert.Single(await Library.RatesAsync(rep.Id), r => r.Template.Id == mine);
        Assert.Equal((2, 0.5, 0.0, 0.0), (repPrivate.Sent, repPrivate.OpenRate, repPrivate.ClickRate, repPrivate.ReplyRate));

        // The rep sees their own mail from the shared template; the admin the workspace's, as counts only.
        var repShared = Assert.Single(await Library.RatesAsync(rep.Id), r => r.Template.Id == shared);
        Assert.Equal((1, 1, 1, false), (repShared.Sent, repShared.Opened, repShared.Clicked, repShared.Workspace));
        var adminShared = Assert.Single(await Library.RatesAsync(admin.Id), r => r.Template.Id == shared);
        Assert.Equal((3, 2, 1, 2, 1, true), (adminShared.Sent, adminShared.OpenTracked, adminShared.Opened, adminShared.LinkTracked, adminShared.Clicked, adminShared.Workspace));
        Assert.Equal(0.5, adminShared.OpenRate);
        Assert.DoesNotContain(await Library.RatesAsync(admin.Id), r => r.Template.Id == mine);
    }
}
