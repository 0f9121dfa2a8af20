using MailTracker.Core.Data;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace MailTracker.Core.Sandbox;

/// <summary>A delivery as the list shows it.</summary>
public sealed record SandboxDeliverySummary(long Id, DateTime ReceivedAt, string From, string To, string Subject);

/// <summary>A delivery opened, as a recipient's mail client would show it.</summary>
public sealed record SandboxDeliveryView(long Id, DateTime ReceivedAt, string From, string To, string Cc, string Subject, bool HasHtml, string? TextBody);

/// <summary>Reads the sandbox's deliveries. A user sees the deliveries of mail they sent, and nobody else's.</summary>
public sealed class SandboxMailbox(IDbContextFactory<MailTrackerDbContext> contextFactory)
{
    public async Task<IReadOnlyList<SandboxDeliverySummary>> ListAsync(string userId, int take = 200, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.SandboxDeliveries
            .Where(d => d.SenderUserId == userId)
            .OrderByDescending(d => d.ReceivedAt).ThenByDescending(d => d.Id)
            .Take(take)
            .Select(d => new SandboxDeliverySummary(d.Id, d.ReceivedAt, d.EnvelopeFrom, d.EnvelopeTo, d.Subject))
            .ToListAsync(cancellationToken);
    }

    public async Task<SandboxDeliveryView?> GetAsync(string userId, long id, CancellationToken cancellationToken = default)
    {
        var mime = await LoadAsync(userId, id, cancellationToken);
        if (mime is null)
        {
            return null;
        }

        return new SandboxDeliveryView(
            id,
            mime.Value.ReceivedAt,
            mime.Value.Message.From.ToString(),
            mime.Value.Message.To.ToString(),
            mime.Value.Message.Cc.ToString(),
            mime.Value.Message.Subject ?? "",
            mime.Value.Message.HtmlBody is not null,
            mime.Value.Message.TextBody);
    }

    /// <summary>
    /// The delivered HTML exactly as sent (pixel and rewritten links included), with links opening in a new
    /// window like a mail client's. Shown only inside a sandboxed, script-less frame.
    /// </summary>
    public async Task<string?> GetHtmlAsync(string userId, long id, CancellationToken cancellationToken = default)
    {
        var mime = await LoadAsync(userId, id, cancellationToken);
        if (mime is null)
        {
            return null;
        }

        var html = mime.Value.Message.HtmlBody
            ?? $"<pre style=\"white-space:pre-wrap;font-family:inherit\">{System.Net.WebUtility.HtmlEncode(mime.Value.Message.TextBody ?? "")}</pre>";
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><base target=\"_blank\">"
            + "<style>body{font-family:system-ui,sans-serif;margin:16px;color:#222;background:#fff}</style></head><body>"
            + html + "</body></html>";
    }

    private async Task<(MimeMessage Message, DateTime ReceivedAt)?> LoadAsync(string userId, long id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var delivery = await db.SandboxDeliveries.SingleOrDefaultAsync(d => d.Id == id && d.SenderUserId == userId, cancellationToken);
        if (delivery is null)
        {
            return null;
        }

        using var stream = new MemoryStream(delivery.Raw);
        return (await MimeMessage.LoadAsync(stream, cancellationToken), delivery.ReceivedAt);
    }
}
