namespace MailTracker.Core.Tracking;

/// <summary>
/// Where a user was signed in to MailTracker from recently: the address and user agent of their browser. A tracking
/// hit that matches one of the message owner's sessions is the sender looking at their own mail (the sign-in cookie
/// rarely reaches a pixel: mail clients load images without it).
/// </summary>
public class SenderSessionRecord
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public required string IpAddress { get; set; }

    public required string UserAgent { get; set; }

    public DateTime LastSeenAt { get; set; }
}
