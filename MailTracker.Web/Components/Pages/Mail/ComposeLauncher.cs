using MailTracker.Web.Localization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace MailTracker.Web.Components.Pages.Mail;

/// <summary>Opens the composer the same way everywhere (Mail tab, person, deal) and confirms the send.</summary>
public static class ComposeLauncher
{
    /// <returns>The queued message's id, or null if the composer was closed without sending.</returns>
    public static async Task<long?> ComposeAsync(
        this IDialogService dialogs, ISnackbar snackbar, IStringLocalizer<Strings> localizer, string? to = null, string? subject = null)
    {
        var parameters = new DialogParameters<ComposeDialog>
        {
            { d => d.InitialTo, to },
            { d => d.InitialSubject, subject },
        };
        var options = new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true };
        var dialog = await dialogs.ShowAsync<ComposeDialog>(localizer["New message"], parameters, options);
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: long id })
        {
            snackbar.Add(localizer["Your message is in the outbox and is being sent."], Severity.Success);
            return id;
        }

        return null;
    }
}
