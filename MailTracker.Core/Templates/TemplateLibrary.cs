using MailTracker.Core.Accounts;
using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using MailTracker.Core.Tracking.Verdicts;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Templates;

/// <summary>A template as a user sees it, with whether they may change it.</summary>
public sealed record TemplateView(int Id, string Name, string Subject, string HtmlBody, bool OpenTracking, bool LinkTracking, bool Shared, bool Mine, bool CanEdit);

/// <summary>
/// A template's figures over the sent mail made from it, counted hits only, by the Insights rules: opened is
/// <c>OpenTracking &amp;&amp; OpenCount &gt; 0</c> of the open-tracked mail, clicked likewise of the link-tracked mail;
/// replied is a synced reply (thread link) or reply evidence, as follow-up reminders read it, of all of it.
/// <see cref="Workspace"/> says the figures are the whole workspace's (a shared template, seen by an admin).
/// </summary>
public sealed record TemplateRates(TemplateView Template, int Sent, int OpenTracked, int Opened, int LinkTracked, int Clicked, int Replied)
{
    public bool Workspace => Template.Shared && Template.CanEdit;

    public double? OpenRate => OpenTracked == 0 ? null : (double)Opened / OpenTracked;

    public double? ClickRate => LinkTracked == 0 ? null : (double)Clicked / LinkTracked;

    public double? ReplyRate => Sent == 0 ? null : (double)Replied / Sent;
}

public enum TemplateError
{
    NotFound,
    NameRequired,

    /// <summary>Only admins make, change or delete shared templates.</summary>
    AdminOnly,
}

/// <summary>
/// Templates: a user sees their own private ones and the workspace's shared ones; another user's private template is
/// simply not found, admins included (decision 0008). Only admins create, edit or delete shared templates.
/// </summary>
public sealed class TemplateLibrary(IDbContextFactory<MailTrackerDbContext> contextFactory, TimeProvider time)
{
    public async Task<IReadOnlyList<TemplateView>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var admin = await Admins.IsActiveAdminAsync(db, userId, cancellationToken);
        var rows = await Visible(db, userId).OrderBy(t => t.Name).ThenBy(t => t.Id).ToListAsync(cancellationToken);
        return rows.Select(t => View(t, userId, admin)).ToList();
    }

    public async Task<TemplateView?> GetAsync(string userId, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var template = await Visible(db, userId).SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        return template is null ? null : View(template, userId, await Admins.IsActiveAdminAsync(db, userId, cancellationToken));
    }

    public async Task<(int? Id, TemplateError? Error)> CreateAsync(string userId, TemplateDetails details, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(details.Name))
        {
            return (null, TemplateError.NameRequired);
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (details.Shared && !await Admins.IsActiveAdminAsync(db, userId, cancellationToken))
        {
            return (null, TemplateError.AdminOnly);
        }

        var template = EmailTemplate.Create(userId, Clean(details), time.GetUtcNow().UtcDateTime);
        db.EmailTemplates.Add(template);
        await db.SaveChangesAsync(cancellationToken);
        return (template.Id, null);
    }

    public async Task<TemplateError?> UpdateAsync(string userId, int id, TemplateDetails details, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(details.Name))
        {
            return TemplateError.NameRequired;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var (template, error) = await EditableAsync(db, userId, id, cancellationToken);
        if (template is null)
        {
            return error;
        }

        // Sharing (or unsharing) is an admin's act too.
        if (details.Shared != template.Shared && !await Admins.IsActiveAdminAsync(db, userId, cancellationToken))
        {
            return TemplateError.AdminOnly;
        }

        template.Update(Clean(details), time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    public async Task<TemplateError?> DeleteAsync(string userId, int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var (template, error) = await EditableAsync(db, userId, id, cancellationToken);
        if (template is null)
        {
            return error;
        }

        template.Delete(time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>Whether the user may share templates with the workspace (and change shared ones): active admins.</summary>
    public async Task<bool> CanShareAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await Admins.IsActiveAdminAsync(db, userId, cancellationToken);
    }

    /// <summary>
    /// Every visible template with its figures, as counted hits of the sent mail made from it: a private template's over
    /// its owner's mail; a shared one's over the user's own mail, or for an admin over the whole workspace's, as aggregates
    /// only (decisions 0008, 0013 and 0019). Two grouped queries.
    /// </summary>
    public async Task<IReadOnlyList<TemplateRates>> RatesAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var admin = await Admins.IsActiveAdminAsync(db, userId, cancellationToken);
        var templates = await Visible(db, userId).OrderBy(t => t.Name).ThenBy(t => t.Id).ToListAsync(cancellationToken);
        var own = templates.Where(t => !t.Shared || !admin).Select(t => (int?)t.Id).ToList();
        var workspace = templates.Where(t => t.Shared && admin).Select(t => (int?)t.Id).ToList();
        var sent = db.Messages.AsNoTracking().Where(m => m.Folder == MailFolder.Sent && m.TemplateId != null
            && ((m.OwnerId == userId && own.Contains(m.TemplateId)) || workspace.Contains(m.TemplateId)));

        var counts = await sent
            .GroupBy(m => m.TemplateId)
            .Select(g => new
            {
                TemplateId = g.Key!.Value,
                Sent = g.Count(),
                OpenTracked = g.Count(m => m.OpenTracking),
                Opened = g.Count(m => m.OpenTracking && m.OpenCount > 0),
                LinkTracked = g.Count(m => m.LinkTracking),
                Clicked = g.Count(m => m.LinkTracking && m.ClickCount > 0),
            })
            .ToDictionaryAsync(c => c.TemplateId, cancellationToken);
        var replied = await sent.Where(ReminderFacts.HasReply(db))
            .GroupBy(m => m.TemplateId)
            .Select(g => new { TemplateId = g.Key!.Value, Replied = g.Count() })
            .ToDictionaryAsync(c => c.TemplateId, c => c.Replied, cancellationToken);

        return templates.Select(t => counts.TryGetValue(t.Id, out var c)
                ? new TemplateRates(View(t, userId, admin), c.Sent, c.OpenTracked, c.Opened, c.LinkTracked, c.Clicked, replied.GetValueOrDefault(t.Id))
                : new TemplateRates(View(t, userId, admin), 0, 0, 0, 0, 0, 0))
            .ToList();
    }

    private static IQueryable<EmailTemplate> Visible(MailTrackerDbContext db, string userId) =>
        db.EmailTemplates.Where(t => t.DeletedAt == null && (t.OwnerId == userId || t.Shared));

    /// <summary>A template the user may see; and whether they may change it (own private, or shared and admin).</summary>
    private static async Task<(EmailTemplate? Template, TemplateError? Error)> EditableAsync(MailTrackerDbContext db, string userId, int id, CancellationToken cancellationToken)
    {
        var template = await Visible(db, userId).SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (template is null)
        {
            return (null, TemplateError.NotFound);
        }

        return template.Shared && !await Admins.IsActiveAdminAsync(db, userId, cancellationToken) ? (null, TemplateError.AdminOnly) : (template, null);
    }

    private static TemplateView View(EmailTemplate t, string userId, bool admin) =>
        new(t.Id, t.Name, t.Subject, t.HtmlBody, t.OpenTracking, t.LinkTracking, t.Shared, t.OwnerId == userId, t.Shared ? admin : t.OwnerId == userId);

    private static TemplateDetails Clean(TemplateDetails details) => details with { HtmlBody = MailHtmlSanitizer.SanitizeComposed(details.HtmlBody) };
}
