using System.ComponentModel.DataAnnotations;

namespace MailTracker.Core.FollowUps;

/// <summary>The <c>FollowUps</c> section: how often the reminder worker looks for due reminders when nothing wakes it.</summary>
public sealed class FollowUpOptions
{
    public const string Section = "FollowUps";

    /// <summary>
    /// The longest the worker sleeps: it wakes earlier for the next due reminder it knows of, or when one is stored; the
    /// poll catches reminders of mail sent late (a retry, send later) and those stored by another instance.
    /// </summary>
    [Range(1, 3600, ErrorMessage = "FollowUps:PollSeconds must be between 1 and 3600.")]
    public int PollSeconds { get; set; } = 60;
}
