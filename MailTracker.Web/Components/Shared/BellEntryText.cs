using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using MailTracker.Core.Tracking;
using MailTracker.Web.Localization;
using Microsoft.Extensions.Localization;

namespace MailTracker.Web.Components.Shared;

/// <summary>A bell entry in words — "Anna opened “Offer”", "Anna clicked https://…" — for the bell's list and desktop notifications alike.</summary>
public static class BellEntryText
{
    public static string Format(NotificationItem item, IStringLocalizer<Strings> localizer)
    {
        if (item.FollowUp is { } condition)
        {
            return condition switch
            {
                ReminderCondition.NotOpened => localizer["Follow up: “{0}” was not opened", item.Subject],
                ReminderCondition.NotClicked => localizer["Follow up: “{0}” had no link clicked", item.Subject],
                ReminderCondition.NoReply => localizer["Follow up: “{0}” got no reply", item.Subject],
                _ => localizer["Follow up: “{0}”", item.Subject],
            };
        }

        var text = item.Cause switch
        {
            BellCause.Reply => localizer["{0} replied to “{1}”", item.Actor, item.Subject].Value,
            BellCause.ApplePrivacy => localizer["Apple Mail Privacy Protection fetched “{0}” for {1} — may not have been read", item.Subject, item.Actor].Value,
            _ => item.Kind == TrackingKind.Open
                ? localizer["{0} opened “{1}”", item.Actor, item.Subject].Value
                : localizer["{0} clicked {1}", item.Actor, item.Url ?? ""].Value,
        };
        return item.Count > 1 ? $"{text} ({localizer["{0}×", item.Count]})" : text;
    }
}
