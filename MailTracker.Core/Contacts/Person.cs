namespace MailTracker.Core.Contacts;

/// <summary>
/// Someone a user writes to: a name, one or more email addresses, organisation and phone. People are private
/// to their owner (docs/decisions/0007-contacts-scoping.md). A person marked <see cref="DoNotTrack"/> never
/// gets a pixel or a rewritten link, whatever the composer's toggles say.
/// </summary>
public class Person
{
    private readonly List<PersonEmail> _emails = [];

    private Person()
    {
    }

    public int Id { get; private set; }

    public string OwnerId { get; private set; } = "";

    public string Name { get; private set; } = "";

    public string Organization { get; private set; } = "";

    public string Phone { get; private set; } = "";

    public bool DoNotTrack { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    /// <summary>Lower-cased name, for a case-insensitive sort that works the same on SQLite and PostgreSQL.</summary>
    public string SortKey { get; private set; } = "";

    /// <summary>Lower-cased name, addresses, organisation and phone, for search.</summary>
    public string SearchText { get; private set; } = "";

    /// <summary>The addresses in the order the user gave them; the first is the one the composer uses.</summary>
    public IReadOnlyList<PersonEmail> Emails => _emails;

    public string PrimaryEmail => _emails.OrderBy(e => e.Ordinal).Select(e => e.Address).FirstOrDefault() ?? "";

    public static Person Create(string ownerId, PersonDetails details, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerId);
        var person = new Person { OwnerId = ownerId, CreatedAt = now };
        person.Update(details, now);
        return person;
    }

    public void Update(PersonDetails details, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(details.Name);
        if (details.Emails.Count == 0)
        {
            throw new ArgumentException("A person has at least one email address.", nameof(details));
        }

        Name = details.Name.Trim();
        Organization = details.Organization.Trim();
        Phone = details.Phone.Trim();
        DoNotTrack = details.DoNotTrack;
        UpdatedAt = now;
        SetEmails(details.Emails);
        SortKey = Name.ToLowerInvariant();
        SearchText = string.Join('\n', [Name, .. _emails.OrderBy(e => e.Ordinal).Select(e => e.Address), Organization, Phone]).ToLowerInvariant();
    }

    private void SetEmails(IReadOnlyList<string> addresses)
    {
        var wanted = addresses.Select(ContactAddress.Normalize).Distinct().ToList();

        // Rows for addresses that stay are kept (only their order changes), so the unique
        // (owner, address) index never sees a delete and an insert of the same address.
        _emails.RemoveAll(e => !wanted.Contains(e.Address));
        for (var i = 0; i < wanted.Count; i++)
        {
            var existing = _emails.FirstOrDefault(e => e.Address == wanted[i]);
            if (existing is null)
            {
                _emails.Add(new PersonEmail(OwnerId, wanted[i], i));
            }
            else
            {
                existing.Ordinal = i;
            }
        }
    }
}

/// <summary>What the user entered for a person, already validated by <see cref="ContactBook"/>.</summary>
public sealed record PersonDetails
{
    public required string Name { get; init; }
    public required IReadOnlyList<string> Emails { get; init; }
    public string Organization { get; init; } = "";
    public string Phone { get; init; } = "";
    public bool DoNotTrack { get; init; }
}
