using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Contacts;

/// <summary>
/// The email history of a person's and a deal's detail view, as the same rows as the Mail tab, newest first.
/// A person's history is every message of the owner with one of the person's addresses in From, To or Cc
/// (through the indexed <see cref="MessageParticipant"/> table), plus mail explicitly written from their page;
/// a deal's is the mail explicitly linked to it. Drafts (cancelled sends) are left out.
/// </summary>
public sealed class EmailHistory(IDbContextFactory<MailTrackerDbContext> contextFactory)
{
    public const int PageSize = 50;

    public async Task<MailListPage> ForPersonAsync(string userId, int personId, (DateTime Date, long Id)? before = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var addresses = await db.PersonEmails
            .Where(e => e.PersonId == personId && e.OwnerId == userId)
            .Select(e => e.Address)
            .ToListAsync(cancellationToken);
        if (addresses.Count == 0)
        {
            // Every person has an address, so none means not this user's person.
            return new MailListPage([], false);
        }

        var withAddress = db.MessageParticipants
            .Where(p => p.OwnerId == userId && addresses.Contains(p.Address))
            .Select(p => p.MessageId);
        var messages = db.Messages.AsNoTracking()
            .Where(m => m.OwnerId == userId && m.Folder != MailFolder.Drafts)
            .Where(m => m.PersonId == personId || withAddress.Contains(m.Id));
        return await MailboxQueries.PageAsync(db, messages, before, PageSize, cancellationToken);
    }

    public async Task<MailListPage> ForDealAsync(string userId, int dealId, (DateTime Date, long Id)? before = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var messages = db.Messages.AsNoTracking()
            .Where(m => m.OwnerId == userId && m.DealId == dealId && m.Folder != MailFolder.Drafts);
        return await MailboxQueries.PageAsync(db, messages, before, PageSize, cancellationToken);
    }
}
