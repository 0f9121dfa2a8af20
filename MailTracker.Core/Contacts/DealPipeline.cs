using System.Globalization;
using MailTracker.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Contacts;

/// <summary>What the deal form submits.</summary>
public sealed record DealInput
{
    public string Title { get; init; } = "";

    /// <summary>Empty means not known yet (0).</summary>
    public decimal? Value { get; init; }

    public string Currency { get; init; } = Currencies.Default;
    public DealStage Stage { get; init; } = DealStage.Lead;
    public int? PersonId { get; init; }
}

/// <summary>A deal on the board or in the list.</summary>
public sealed record DealSummary(int Id, string Title, decimal Value, string Currency, DealStage Stage, int? PersonId, string? PersonName, DateTime UpdatedAt);

/// <summary>A deal's detail view, with the person it is with (if any).</summary>
public sealed record DealView(
    int Id,
    string Title,
    decimal Value,
    string Currency,
    DealStage Stage,
    PersonOption? Person,
    bool PersonDoNotTrack,
    string OwnerName,
    DateTime CreatedAt,
    DateTime StageChangedAt);

/// <summary>
/// A user's deals: the board and list, create, edit, move between stages, delete. Scoped to the owner like
/// <see cref="ContactBook"/>; a deal can only be linked to one of the owner's own people.
/// </summary>
public sealed class DealPipeline(IDbContextFactory<MailTrackerDbContext> contextFactory, TimeProvider time)
{
    public const decimal MaxValue = 1_000_000_000_000m;

    public static IReadOnlyList<DealStage> Stages { get; } = Enum.GetValues<DealStage>();

    public async Task<IReadOnlyList<DealSummary>> ListAsync(string userId, string? search = null, int? personId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var deals = db.Deals.AsNoTracking().Where(d => d.OwnerId == userId);
        if (personId is not null)
        {
            deals = deals.Where(d => d.PersonId == personId);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            foreach (var term in search.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var pattern = "%" + Like.Escape(term) + "%";
                deals = deals.Where(d => EF.Functions.Like(d.SearchText, pattern, Like.EscapeCharacter)
                    || db.People.Any(p => p.Id == d.PersonId && EF.Functions.Like(p.SearchText, pattern, Like.EscapeCharacter)));
            }
        }

        return await deals
            .OrderByDescending(d => d.UpdatedAt).ThenByDescending(d => d.Id)
            .Take(1000)
            .Select(d => new DealSummary(
                d.Id, d.Title, d.Value, d.Currency, d.Stage, d.PersonId,
                db.People.Where(p => p.Id == d.PersonId).Select(p => p.Name).FirstOrDefault(),
                d.UpdatedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<DealView?> GetAsync(string userId, int dealId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var deal = await db.Deals.AsNoTracking().SingleOrDefaultAsync(d => d.Id == dealId && d.OwnerId == userId, cancellationToken);
        if (deal is null)
        {
            return null;
        }

        var person = deal.PersonId is { } personId
            ? await db.People.AsNoTracking()
                .Where(p => p.Id == personId && p.OwnerId == userId)
                .Select(p => new { p.Id, p.Name, p.DoNotTrack, Email = p.Emails.OrderBy(e => e.Ordinal).Select(e => e.Address).FirstOrDefault() })
                .SingleOrDefaultAsync(cancellationToken)
            : null;
        var owner = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).SingleAsync(cancellationToken);
        return new DealView(
            deal.Id,
            deal.Title,
            deal.Value,
            deal.Currency,
            deal.Stage,
            person is null ? null : new PersonOption(person.Id, person.Name, person.Email ?? ""),
            person?.DoNotTrack ?? false,
            owner,
            deal.CreatedAt,
            deal.StageChangedAt);
    }

    /// <summary>The currency of the user's latest deal, so a rep working in one currency never has to pick it.</summary>
    public async Task<string> DefaultCurrencyAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var latest = await db.Deals.Where(d => d.OwnerId == userId).OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Select(d => d.Currency).FirstOrDefaultAsync(cancellationToken);
        return Currencies.IsKnown(latest) ? latest! : Currencies.Default;
    }

    public async Task<SaveResult> AddAsync(string userId, DealInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var (details, errors) = await ValidateAsync(db, userId, input, cancellationToken);
        if (details is null)
        {
            return new SaveResult(null, errors);
        }

        var deal = Deal.Create(userId, details, time.GetUtcNow().UtcDateTime);
        db.Deals.Add(deal);
        await db.SaveChangesAsync(cancellationToken);
        return new SaveResult(deal.Id, []);
    }

    public async Task<SaveResult> UpdateAsync(string userId, int dealId, DealInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var deal = await db.Deals.SingleOrDefaultAsync(d => d.Id == dealId && d.OwnerId == userId, cancellationToken);
        if (deal is null)
        {
            return SaveResult.Failed(new ContactError(ContactField.Title, ContactErrorKind.NotFound));
        }

        var (details, errors) = await ValidateAsync(db, userId, input, cancellationToken);
        if (details is null)
        {
            return new SaveResult(null, errors);
        }

        deal.Update(details, time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return new SaveResult(deal.Id, []);
    }

    /// <summary>Moves a deal to another stage (the board's quick move).</summary>
    public async Task<bool> MoveAsync(string userId, int dealId, DealStage stage, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var deal = await db.Deals.SingleOrDefaultAsync(d => d.Id == dealId && d.OwnerId == userId, cancellationToken);
        if (deal is null || !Enum.IsDefined(stage))
        {
            return false;
        }

        deal.MoveTo(stage, time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Deletes a deal. Its mail stays in the Mail tab and in the person's history.</summary>
    public async Task<bool> DeleteAsync(string userId, int dealId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var deal = await db.Deals.SingleOrDefaultAsync(d => d.Id == dealId && d.OwnerId == userId, cancellationToken);
        if (deal is null)
        {
            return false;
        }

        // Its mail is unlinked by the foreign key (ON DELETE SET NULL).
        db.Deals.Remove(deal);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static async Task<(DealDetails? Details, IReadOnlyList<ContactError> Errors)> ValidateAsync(
        MailTrackerDbContext db, string userId, DealInput input, CancellationToken cancellationToken)
    {
        var errors = new List<ContactError>();
        var title = input.Title.Trim();
        if (title.Length == 0)
        {
            errors.Add(new ContactError(ContactField.Title, ContactErrorKind.Required));
        }
        else if (title.Length > 300)
        {
            errors.Add(new ContactError(ContactField.Title, ContactErrorKind.TooLong, "300"));
        }

        var value = input.Value ?? 0m;
        if (value < 0 || value > MaxValue || decimal.Round(value, 2) != value)
        {
            errors.Add(new ContactError(ContactField.Value, ContactErrorKind.Invalid, value.ToString(CultureInfo.InvariantCulture)));
        }

        if (!Currencies.IsKnown(input.Currency))
        {
            errors.Add(new ContactError(ContactField.Currency, ContactErrorKind.Invalid, input.Currency));
        }

        if (!Enum.IsDefined(input.Stage))
        {
            errors.Add(new ContactError(ContactField.Stage, ContactErrorKind.Invalid, input.Stage.ToString()));
        }

        if (input.PersonId is { } personId && !await db.People.AnyAsync(p => p.Id == personId && p.OwnerId == userId, cancellationToken))
        {
            errors.Add(new ContactError(ContactField.Person, ContactErrorKind.NotFound));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new DealDetails { Title = title, Value = value, Currency = input.Currency, Stage = input.Stage, PersonId = input.PersonId }, []);
    }
}
