using MailTracker.Core.Contacts;

namespace MailTracker.Core.Messages;

public enum ParticipantRole
{
    From = 0,
    To = 1,
    Cc = 2,
}

/// <summary>
/// One address on a message (From, To or Cc), lower-cased, with the message's owner: the indexed table behind
/// a person's email history ("all mail with these addresses") and the first-time-recipient suggestion, so
/// neither scans address lists with LIKE. Written with the message by <see cref="Message.Queue"/> and
/// <see cref="Message.Receive"/>. Bcc is left out: the history shows mail with a person, as the headers say.
/// </summary>
public class MessageParticipant
{
    private MessageParticipant()
    {
    }

    internal MessageParticipant(string ownerId, string address, ParticipantRole role)
    {
        OwnerId = ownerId;
        Address = ContactAddress.Normalize(address);
        Role = role;
    }

    public long Id { get; private set; }

    public long MessageId { get; private set; }

    public string OwnerId { get; private set; } = "";

    public string Address { get; private set; } = "";

    public ParticipantRole Role { get; private set; }
}
