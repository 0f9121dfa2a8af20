using MailTracker.Web.Components.Pages.Deals;
using MailTracker.Web.Localization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace MailTracker.Web.Components.Pages.Contacts;

/// <summary>Opens the person and deal forms the same way from every page.</summary>
public static class ContactDialogs
{
    private static readonly DialogOptions Options = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true };

    /// <returns>The saved person's id, or null if the form was closed without saving.</returns>
    public static async Task<int?> EditPersonAsync(this IDialogService dialogs, IStringLocalizer<Strings> localizer, int? personId = null)
    {
        var parameters = new DialogParameters<PersonDialog> { { d => d.PersonId, personId } };
        var dialog = await dialogs.ShowAsync<PersonDialog>(personId is null ? localizer["Add person"] : localizer["Edit person"], parameters, Options);
        return await dialog.Result is { Canceled: false, Data: int id } ? id : null;
    }

    /// <param name="personId">For a new deal: the person to start with (adding a deal from a person's page).</param>
    /// <returns>The saved deal's id, or null if the form was closed without saving.</returns>
    public static async Task<int?> EditDealAsync(this IDialogService dialogs, IStringLocalizer<Strings> localizer, int? dealId = null, int? personId = null)
    {
        var parameters = new DialogParameters<DealDialog> { { d => d.DealId, dealId }, { d => d.InitialPersonId, personId } };
        var dialog = await dialogs.ShowAsync<DealDialog>(dealId is null ? localizer["Add deal"] : localizer["Edit deal"], parameters, Options);
        return await dialog.Result is { Canceled: false, Data: int id } ? id : null;
    }

    /// <returns>True if the user confirmed.</returns>
    public static async Task<bool> ConfirmDeleteAsync(this IDialogService dialogs, IStringLocalizer<Strings> localizer, string title, string message)
    {
        var confirmed = await dialogs.ShowMessageBoxAsync(title, message, yesText: localizer["Delete"], cancelText: localizer["Cancel"]);
        return confirmed == true;
    }
}
