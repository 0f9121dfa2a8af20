using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Sync;

/// <summary>
/// Once SMTP has accepted a mail from a connected mailbox, wakes that mailbox's sync so the sender's copy is appended
/// to the server's Sent folder right away (the sync does it, so a failure is retried like any other).
/// </summary>
public sealed class SentCopyListener(IDbContextFactory<MailTrackerDbContext> contextFactory, MailSyncSignal signal) : IMessageSentListener
{
    public async Task OnMessageChangedAsync(string ownerId, long messageId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var sent = await db.Messages.AsNoTracking()
            .Where(m => m.Id == messageId && m.Status == MessageStatus.Sent)
            .Join(db.MailAccounts.Where(a => !a.IsSandbox), m => m.MailAccountId, a => a.Id, (m, a) => (int?)a.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (sent is { } accountId)
        {
            signal.Wake(accountId);
        }
    }
}
