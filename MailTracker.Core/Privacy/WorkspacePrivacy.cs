using MailTracker.Core.Accounts;
using MailTracker.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Privacy;

/// <summary>The outcome of saving the never-track list: not allowed (not an admin), or the entries that are not domains (nothing saved).</summary>
public sealed record NeverTrackDomainsResult(bool Allowed, IReadOnlyList<string> Invalid)
{
    public bool Saved => Allowed && Invalid.Count == 0;
}

/// <summary>The workspace's privacy settings: the recipient domains whose mail is never tracked (admins set them).</summary>
public sealed class WorkspacePrivacy(IDbContextFactory<MailTrackerDbContext> contextFactory)
{
    public async Task<IReadOnlyList<string>> NeverTrackDomainsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var workspace = await db.Workspaces.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return workspace?.NeverTrackDomainList ?? [];
    }

    /// <summary>Replaces the list with the domains in <paramref name="text"/> (separated by lines, commas or spaces).</summary>
    public async Task<NeverTrackDomainsResult> SetNeverTrackDomainsAsync(string actorId, string text, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await Admins.IsActiveAdminAsync(db, actorId, cancellationToken))
        {
            return new NeverTrackDomainsResult(false, []);
        }

        var entries = text.Split(['\n', '\r', ',', ';', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var invalid = entries.Where(e => Workspace.NormalizeDomain(e) is null).ToList();
        if (invalid.Count > 0)
        {
            return new NeverTrackDomainsResult(true, invalid);
        }

        var workspace = await db.Workspaces.SingleOrDefaultAsync(cancellationToken);
        if (workspace is null)
        {
            workspace = new Workspace();
            db.Workspaces.Add(workspace);
        }

        workspace.SetNeverTrackDomains(entries);
        await db.SaveChangesAsync(cancellationToken);
        return new NeverTrackDomainsResult(true, []);
    }
}
