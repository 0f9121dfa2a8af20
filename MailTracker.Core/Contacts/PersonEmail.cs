namespace MailTracker.Core.Contacts;

/// <summary>
/// One address of a person, stored lower-cased. The owner is repeated here so that "whose is this address?"
/// is one lookup in the unique (owner, address) index — the composer asks it as the user types.
/// </summary>
public class PersonEmail
{
    private PersonEmail()
    {
    }

    internal PersonEmail(string ownerId, string address, int ordinal)
    {
        OwnerId = ownerId;
        Address = address;
        Ordinal = ordinal;
    }

    public int Id { get; private set; }

    public int PersonId { get; private set; }

    public string OwnerId { get; private set; } = "";

    public string Address { get; private set; } = "";

    /// <summary>0 for the primary address.</summary>
    public int Ordinal { get; internal set; }
}
