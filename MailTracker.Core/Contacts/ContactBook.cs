using MailTracker.Core.Data;
using MailTracker.Core.Messages;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Contacts;

/// <summary>What the person form submits. <see cref="OtherEmails"/> is a comma-separated list.</summary>
public sealed record PersonInput
{
    public string Name { get; init; } = "";
    public string Email { get; init; } = "";
    public string OtherEmails { get; init; } = "";
    public string Organization { get; init; } = "";
    public string Phone { get; init; } = "";
    public bool DoNotTrack { get; init; }
}

/// <summary>A row of the contacts list.</summary>
public sealed record PersonSummary(int Id, string Name, string PrimaryEmail, int OtherEmailCount, string Organization, string Phone, bool DoNotTrack);

public sealed record PersonPage(IReadOnlyList<PersonSummary> Items, bool HasMore);

/// <summary>A person's detail view.</summary>
public sealed record PersonView(
    int Id,
    string Name,
    IReadOnlyList<string> Emails,
    string Organization,
    string Phone,
    bool DoNotTrack,
    string OwnerName,
    DateTime CreatedAt)
{
    public string PrimaryEmail => Emails.Count > 0 ? Emails[0] : "";
}

/// <summary>A person as a choice in a picker, or named in a notice.</summary>
public sealed record PersonOption(int Id, string Name, string Email)
{
    public string Label => $"{Name} ({Email})";
}

/// <summary>A recipient the user has just mailed for the first time and has not saved as a person.</summary>
public sealed record PersonSuggestion(string Name, string Address);

/// <summary>
/// A user's people: list, search, create, edit, delete, and the two questions mail asks about them — "is any
/// of these recipients do-not-track?" and "whom did I just mail for the first time?". Every call is scoped
/// to the owner; another user's person simply does not exist (docs/decisions/0007-contacts-scoping.md).
/// </summary>
public sealed class ContactBook(IDbContextFactory<MailTrackerDbContext> contextFactory, TimeProvider time)
{
    public const int MaxEmails = 10;

    public async Task<PersonPage> ListAsync(string userId, string? search = null, int skip = 0, int take = 100, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await Search(db, userId, search)
            .OrderBy(p => p.SortKey).ThenBy(p => p.Id)
            .Skip(skip)
            .Take(take + 1)
            .Select(p => new
            {
                p.Id,
                p.Name,
                Primary = p.Emails.OrderBy(e => e.Ordinal).Select(e => e.Address).FirstOrDefault(),
                EmailCount = p.Emails.Count,
                p.Organization,
                p.Phone,
                p.DoNotTrack,
            })
            .ToListAsync(cancellationToken);
        var items = rows.Take(take)
            .Select(r => new PersonSummary(r.Id, r.Name, r.Primary ?? "", Math.Max(0, r.EmailCount - 1), r.Organization, r.Phone, r.DoNotTrack))
            .ToList();
        return new PersonPage(items, rows.Count > take);
    }

    /// <summary>People whose name, address, organisation or phone contains the text, for a picker.</summary>
    public async Task<IReadOnlyList<PersonOption>> FindAsync(string userId, string? text, int take = 20, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await Search(db, userId, text)
            .OrderBy(p => p.SortKey).ThenBy(p => p.Id)
            .Take(take)
            .Select(p => new PersonOption(p.Id, p.Name, p.Emails.OrderBy(e => e.Ordinal).Select(e => e.Address).FirstOrDefault() ?? ""))
            .ToListAsync(cancellationToken);
    }

    public async Task<PersonView?> GetAsync(string userId, int personId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var person = await db.People.AsNoTracking().Include(p => p.Emails)
            .SingleOrDefaultAsync(p => p.Id == personId && p.OwnerId == userId, cancellationToken);
        if (person is null)
        {
            return null;
        }

        var owner = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).SingleAsync(cancellationToken);
        return new PersonView(
            person.Id,
            person.Name,
            person.Emails.OrderBy(e => e.Ordinal).Select(e => e.Address).ToList(),
            person.Organization,
            person.Phone,
            person.DoNotTrack,
            owner,
            person.CreatedAt);
    }

    public async Task<SaveResult> AddAsync(string userId, PersonInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var (details, errors) = await ValidateAsync(db, userId, null, input, cancellationToken);
        if (details is null)
        {
            return new SaveResult(null, errors);
        }

        var person = Person.Create(userId, details, time.GetUtcNow().UtcDateTime);
        db.People.Add(person);
        return await SaveAsync(db, person, details, cancellationToken);
    }

    public async Task<SaveResult> UpdateAsync(string userId, int personId, PersonInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var person = await db.People.Include(p => p.Emails).SingleOrDefaultAsync(p => p.Id == personId && p.OwnerId == userId, cancellationToken);
        if (person is null)
        {
            return SaveResult.Failed(new ContactError(ContactField.Name, ContactErrorKind.NotFound));
        }

        var (details, errors) = await ValidateAsync(db, userId, personId, input, cancellationToken);
        if (details is null)
        {
            return new SaveResult(null, errors);
        }

        person.Update(details, time.GetUtcNow().UtcDateTime);
        return await SaveAsync(db, person, details, cancellationToken);
    }

    /// <summary>Deletes a person. Their deals stay (without a person); their mail stays in the Mail tab.</summary>
    public async Task<bool> DeleteAsync(string userId, int personId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var person = await db.People.SingleOrDefaultAsync(p => p.Id == personId && p.OwnerId == userId, cancellationToken);
        if (person is null)
        {
            return false;
        }

        // Deals and mail are unlinked by their foreign keys (ON DELETE SET NULL).
        db.People.Remove(person);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The user's do-not-track people among these addresses (parsed leniently: a half-typed list still counts
    /// the addresses that are complete). The composer asks this as the recipients change.
    /// </summary>
    public async Task<IReadOnlyList<PersonOption>> DoNotTrackAmongAsync(string userId, IEnumerable<string> recipientLists, CancellationToken cancellationToken = default) =>
        (await UntrackedAmongAsync(userId, recipientLists, cancellationToken)).DoNotTrack;

    /// <summary>
    /// The recipients among these addresses whose mail will go out untracked, by <see cref="RecipientTracking"/>'s rule
    /// (parsed leniently, as the composer asks while the recipients change).
    /// </summary>
    public async Task<UntrackedRecipients> UntrackedAmongAsync(string userId, IEnumerable<string> recipientLists, CancellationToken cancellationToken = default)
    {
        var addresses = recipientLists.SelectMany(AddressFormat.ParseWellFormed).Select(a => ContactAddress.Normalize(a.Address)).Distinct().ToList();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await RecipientTracking.FindAsync(db, userId, addresses, cancellationToken);
    }

    /// <summary>
    /// To and Cc recipients of a message just queued that are nobody's person yet and that the user has never
    /// mailed before: the first time they write to someone, the app offers to save them.
    /// </summary>
    public async Task<IReadOnlyList<PersonSuggestion>> SuggestionsForAsync(string userId, long messageId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var message = await db.Messages.AsNoTracking()
            .Where(m => m.Id == messageId && m.OwnerId == userId)
            .Select(m => new { m.To, m.Cc, m.FromAddress })
            .SingleOrDefaultAsync(cancellationToken);
        if (message is null)
        {
            return [];
        }

        var recipients = AddressFormat.ParseWellFormed(message.To).Concat(AddressFormat.ParseWellFormed(message.Cc))
            .GroupBy(a => ContactAddress.Normalize(a.Address))
            .Where(g => g.Key != ContactAddress.Normalize(message.FromAddress))
            .ToDictionary(g => g.Key, g => g.Select(a => a.Name).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)));
        var addresses = recipients.Keys.ToList();

        var known = await db.PersonEmails.Where(e => e.OwnerId == userId && addresses.Contains(e.Address)).Select(e => e.Address).ToListAsync(cancellationToken);
        var mailedBefore = await db.MessageParticipants
            .Where(p => p.OwnerId == userId && addresses.Contains(p.Address) && p.MessageId != messageId && p.Role != ParticipantRole.From)
            .Join(db.Messages.Where(m => m.Folder != MailFolder.Inbox), p => p.MessageId, m => m.Id, (p, m) => p.Address)
            .Distinct()
            .ToListAsync(cancellationToken);

        return recipients
            .Where(r => !known.Contains(r.Key) && !mailedBefore.Contains(r.Key))
            .Select(r => new PersonSuggestion(r.Value?.Trim() ?? "", r.Key))
            .ToList();
    }

    /// <summary>Saves a suggested recipient as a person in one click: their display name, or the address as the name.</summary>
    public Task<SaveResult> SaveSuggestionAsync(string userId, PersonSuggestion suggestion, CancellationToken cancellationToken = default) =>
        AddAsync(userId, new PersonInput
        {
            Name = string.IsNullOrWhiteSpace(suggestion.Name) ? suggestion.Address : suggestion.Name,
            Email = suggestion.Address,
        }, cancellationToken);

    /// <summary>The addresses among <paramref name="addresses"/> (normalised) that belong to the user's do-not-track people.</summary>
    internal static IQueryable<PersonEmail> DoNotTrackRecipients(MailTrackerDbContext db, string userId, IReadOnlyCollection<string> addresses) =>
        db.PersonEmails
            .Where(e => e.OwnerId == userId && addresses.Contains(e.Address))
            .Where(e => db.People.Any(p => p.Id == e.PersonId && p.DoNotTrack));

    private static IQueryable<Person> Search(MailTrackerDbContext db, string userId, string? search)
    {
        var people = db.People.AsNoTracking().Where(p => p.OwnerId == userId);
        if (!string.IsNullOrWhiteSpace(search))
        {
            foreach (var term in search.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var pattern = "%" + Like.Escape(term) + "%";
                people = people.Where(p => EF.Functions.Like(p.SearchText, pattern, Like.EscapeCharacter));
            }
        }

        return people;
    }

    private static async Task<(PersonDetails? Details, IReadOnlyList<ContactError> Errors)> ValidateAsync(
        MailTrackerDbContext db, string userId, int? personId, PersonInput input, CancellationToken cancellationToken)
    {
        var errors = new List<ContactError>();
        var name = input.Name.Trim();
        if (name.Length == 0)
        {
            errors.Add(new ContactError(ContactField.Name, ContactErrorKind.Required));
        }
        else if (name.Length > 200)
        {
            errors.Add(new ContactError(ContactField.Name, ContactErrorKind.TooLong, "200"));
        }

        var emails = new List<string>();
        var primary = input.Email.Trim();
        if (primary.Length == 0)
        {
            errors.Add(new ContactError(ContactField.Email, ContactErrorKind.Required));
        }
        else if (ParseSingle(primary) is { } address)
        {
            emails.Add(address);
        }
        else
        {
            errors.Add(new ContactError(ContactField.Email, ContactErrorKind.InvalidAddress, primary));
        }

        if (!AddressFormat.TryParseList(input.OtherEmails, out var others, out var invalid))
        {
            errors.Add(new ContactError(ContactField.OtherEmails, ContactErrorKind.InvalidAddress, invalid));
        }

        emails.AddRange(others.Select(o => ContactAddress.Normalize(o.Address)));
        emails = emails.Distinct().ToList();
        if (emails.Count > MaxEmails)
        {
            errors.Add(new ContactError(ContactField.OtherEmails, ContactErrorKind.Invalid, MaxEmails.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (emails.Count > 0)
        {
            var taken = await db.PersonEmails
                .Where(e => e.OwnerId == userId && emails.Contains(e.Address) && e.PersonId != (personId ?? 0))
                .Select(e => e.Address)
                .ToListAsync(cancellationToken);
            foreach (var address in taken)
            {
                var field = emails.IndexOf(address) == 0 && primary.Length > 0 ? ContactField.Email : ContactField.OtherEmails;
                errors.Add(new ContactError(field, ContactErrorKind.AddressTaken, address));
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new PersonDetails
        {
            Name = name,
            Emails = emails,
            Organization = Truncate(input.Organization, 200),
            Phone = Truncate(input.Phone, 50),
            DoNotTrack = input.DoNotTrack,
        }, []);
    }

    private static string? ParseSingle(string value) =>
        AddressFormat.TryParseList(value, out var list, out _) && list.Count == 1 ? ContactAddress.Normalize(list[0].Address) : null;

    private static async Task<SaveResult> SaveAsync(MailTrackerDbContext db, Person person, PersonDetails details, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another tab saved the same address in the meantime: the unique index caught it.
            db.ChangeTracker.Clear();
            var taken = await db.PersonEmails
                .Where(e => e.OwnerId == person.OwnerId && details.Emails.Contains(e.Address) && e.PersonId != person.Id)
                .Select(e => e.Address).FirstOrDefaultAsync(CancellationToken.None);
            if (taken is null)
            {
                throw;
            }

            return SaveResult.Failed(new ContactError(ContactField.Email, ContactErrorKind.AddressTaken, taken));
        }

        return new SaveResult(person.Id, []);
    }

    private static string Truncate(string value, int max)
    {
        var trimmed = value.Trim();
        return trimmed.Length > max ? trimmed[..max] : trimmed;
    }
}
