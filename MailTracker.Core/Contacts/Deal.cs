namespace MailTracker.Core.Contacts;

/// <summary>The simple pipeline a deal moves through.</summary>
public enum DealStage
{
    Lead = 0,
    Contacted = 1,
    Proposal = 2,
    Negotiation = 3,
    Won = 4,
    Lost = 5,
}

/// <summary>
/// A sale in progress: a value in a currency, a stage, and usually the person it is with. Mail composed from
/// the deal's page is linked to it explicitly (<c>Message.DealId</c>). Private to its owner, like people.
/// </summary>
public class Deal
{
    private Deal()
    {
    }

    public int Id { get; private set; }

    public string OwnerId { get; private set; } = "";

    public string Title { get; private set; } = "";

    public decimal Value { get; private set; }

    /// <summary>ISO 4217 code, one of <see cref="Currencies.Codes"/>.</summary>
    public string Currency { get; private set; } = "";

    public DealStage Stage { get; private set; }

    public int? PersonId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    /// <summary>When the deal entered its current stage.</summary>
    public DateTime StageChangedAt { get; private set; }

    /// <summary>Lower-cased title, for search.</summary>
    public string SearchText { get; private set; } = "";

    public static Deal Create(string ownerId, DealDetails details, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerId);
        var deal = new Deal { OwnerId = ownerId, CreatedAt = now, Stage = details.Stage, StageChangedAt = now };
        deal.Update(details, now);
        return deal;
    }

    public void Update(DealDetails details, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(details.Title);
        if (details.Value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(details), "A deal's value cannot be negative.");
        }

        if (!Currencies.IsKnown(details.Currency))
        {
            throw new ArgumentException($"Unknown currency '{details.Currency}'.", nameof(details));
        }

        Title = details.Title.Trim();
        Value = details.Value;
        Currency = details.Currency;
        PersonId = details.PersonId;
        UpdatedAt = now;
        SearchText = Title.ToLowerInvariant();
        MoveTo(details.Stage, now);
    }

    public void MoveTo(DealStage stage, DateTime now)
    {
        if (stage != Stage)
        {
            Stage = stage;
            StageChangedAt = now;
        }

        UpdatedAt = now;
    }
}

/// <summary>What the user entered for a deal, already validated by <see cref="DealPipeline"/>.</summary>
public sealed record DealDetails
{
    public required string Title { get; init; }
    public decimal Value { get; init; }
    public required string Currency { get; init; }
    public DealStage Stage { get; init; }
    public int? PersonId { get; init; }
}

/// <summary>The currencies a deal can be in.</summary>
public static class Currencies
{
    public const string Default = "EUR";

    public static IReadOnlyList<string> Codes { get; } = ["EUR", "USD", "GBP", "PLN", "CHF", "CZK", "SEK", "NOK", "DKK", "CAD", "AUD", "JPY"];

    public static bool IsKnown(string? code) => code is not null && Codes.Contains(code);
}
