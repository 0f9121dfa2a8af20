using MailTracker.Core.Contacts;
using MailTracker.Web.Components.Pages.Contacts;
using MailTracker.Web.Localization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace MailTracker.Web.Components.Pages.Mail;

/// <summary>What the composer hands back after a send: the queued message, and (soon) the recipients worth saving as people (never faulted: a failure there yields none).</summary>
public sealed record ComposeOutcome(long MessageId, Task<IReadOnlyList<PersonSuggestion>> Suggestions, bool Scheduled = false);

/// <summary>Opens the composer the same way everywhere (Mail tab, person, deal) and confirms the send.</summary>
public static class ComposeLauncher
{
    /// <summary>At most this many "save as a person?" offers after one send; more would bury the page.</summary>
    private const int MaxSuggestions = 3;

    /// <param name="to">Recipients to start with, e.g. the person of a detail view.</param>
    /// <param name="personId">The person whose page the composer was opened from; the mail is linked to them.</param>
    /// <param name="dealId">The deal whose page the composer was opened from; the mail is linked to it.</param>
    /// <returns>The queued message's id, or null if the composer was closed without sending.</returns>
    public static async Task<long?> ComposeAsync(
        this IDialogService dialogs, ISnackbar snackbar, IStringLocalizer<Strings> localizer, string? to = null, string? subject = null,
        int? personId = null, int? dealId = null)
    {
        var parameters = new DialogParameters<ComposeDialog>
        {
            { d => d.InitialTo, to },
            { d => d.InitialSubject, subject },
            { d => d.PersonId, personId },
            { d => d.DealId, dealId },
        };
        var options = new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true };
        var dialog = await dialogs.ShowAsync<ComposeDialog>(localizer["New message"], parameters, options);
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: ComposeOutcome outcome })
        {
            snackbar.Add(outcome.Scheduled ? localizer["Scheduled: your message waits in the outbox until its time."] : localizer["Your message is in the outbox and is being sent."], Severity.Success);
            foreach (var suggestion in (await outcome.Suggestions).Take(MaxSuggestions))
            {
                snackbar.Add<SavePersonSnackbar>(
                    new Dictionary<string, object> { [nameof(SavePersonSnackbar.Suggestion)] = suggestion },
                    Severity.Info,
                    o =>
                    {
                        // Long enough to read and decide; it is an offer, so it does not insist.
                        o.VisibleStateDuration = 20_000;
                        o.ShowCloseIcon = true;
                    },
                    key: $"save-person:{suggestion.Address}");
            }

            return outcome.MessageId;
        }

        return null;
    }
}
