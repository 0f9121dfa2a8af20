using MailTracker.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace MailTracker.Core.Tracking;

/// <summary>
/// Answers "is this token ours, and what does it point at?" for the tracking endpoints and the projector. Bounded
/// and in memory: filled on demand and when a message is sent; a miss costs one indexed read. Tokens never change
/// once sent, so a known one is kept for hours; an unknown one is remembered briefly, so a client repeating a bad
/// token costs no reads (a token is in the database before its mail leaves, so nobody can hold it earlier).
/// </summary>
public sealed class TokenIndex(IDbContextFactory<MailTrackerDbContext> contextFactory) : IDisposable
{
    private static readonly object Unknown = new();
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 200_000 });

    /// <summary>The token's target, or null for an unknown token.</summary>
    public async ValueTask<TokenTarget?> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(token, out var cached))
        {
            return cached as TokenTarget;
        }

        var found = await LookupAsync([token], cancellationToken);
        var target = found.GetValueOrDefault(token);
        Remember(token, target);
        return target;
    }

    /// <summary>Resolves many tokens with at most one query for those not in memory.</summary>
    public async Task<Dictionary<string, TokenTarget>> ResolveManyAsync(IEnumerable<string> tokens, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, TokenTarget>();
        var missing = new List<string>();
        foreach (var token in tokens.Distinct())
        {
            if (_cache.TryGetValue(token, out var cached))
            {
                if (cached is TokenTarget target)
                {
                    result[token] = target;
                }
            }
            else
            {
                missing.Add(token);
            }
        }

        foreach (var chunk in missing.Chunk(500))
        {
            var found = await LookupAsync(chunk, cancellationToken);
            foreach (var token in chunk)
            {
                var target = found.GetValueOrDefault(token);
                Remember(token, target);
                if (target is not null)
                {
                    result[token] = target;
                }
            }
        }

        return result;
    }

    /// <summary>Loads a message's tokens once it has been sent, so its first hits cost no read.</summary>
    public async Task WarmAsync(long messageId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var tokens = await db.TrackingTokens.AsNoTracking().Where(t => t.MessageId == messageId).Select(t => t.Token).ToListAsync(cancellationToken);
        foreach (var token in tokens)
        {
            _cache.Remove(token);
        }

        await ResolveManyAsync(tokens, cancellationToken);
    }

    public void Dispose() => _cache.Dispose();

    private void Remember(string token, TokenTarget? target)
    {
        if (target is null)
        {
            _cache.Set(token, Unknown, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30) });
        }
        else if (target.SentAt is not null)
        {
            // Until its mail is marked sent the target's send time is still unknown: look it up again next time.
            _cache.Set(token, target, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(6) });
        }
    }

    private async Task<Dictionary<string, TokenTarget>> LookupAsync(IReadOnlyCollection<string> tokens, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (
                from t in db.TrackingTokens.AsNoTracking()
                where tokens.Contains(t.Token)
                join m in db.Messages on t.MessageId equals m.Id
                select new
                {
                    t.Token, t.Kind, t.MessageId, m.OwnerId, t.TrackedLinkId, Url = t.TrackedLink == null ? null : t.TrackedLink.Url,
                    Ordinal = t.TrackedLink == null ? (int?)null : t.TrackedLink.Ordinal, Hidden = t.TrackedLink != null && t.TrackedLink.Hidden,
                    t.Recipient, m.SentAt, m.Subject, m.To,
                })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(
            r => r.Token,
            r => new TokenTarget(r.Token, r.Kind, r.MessageId, r.OwnerId, r.TrackedLinkId, r.Url, r.Recipient, r.SentAt, r.Subject,
                r.Recipient ?? Messages.AddressFormat.FirstDisplayName(r.To), r.Ordinal, r.Hidden));
    }
}
