using Microsoft.Extensions.Localization;
using MudBlazor;

namespace MailTracker.Web.Localization;

/// <summary>MudBlazor's own texts (close buttons, clear buttons, pagers) through the app's strings, so Polish covers them too.</summary>
internal sealed class MudStringsLocalizer(IStringLocalizer<Strings> strings) : MudLocalizer
{
    private static readonly Dictionary<string, string> EnglishByKey = new()
    {
        ["MudAlert_Close"] = "Close",
        ["MudChip_Close"] = "Close",
        ["MudDialog_Close"] = "Close",
        ["MudSnackbar_Close"] = "Close",
        ["MudInput_Clear"] = "Clear",
        ["MudInput_Increment"] = "Increment",
        ["MudInput_Decrement"] = "Decrement",
        ["MudNavGroup_ToggleExpand"] = "Toggle {0}",
        ["MudSelect_SelectAll"] = "Select all",
        ["MudFormComponent_Required"] = "Required",
        ["MudTable_Loading"] = "Loading",
        ["MudPagination_FirstPage"] = "First page",
        ["MudPagination_PreviousPage"] = "Previous page",
        ["MudPagination_NextPage"] = "Next page",
        ["MudPagination_LastPage"] = "Last page",
        ["MudPagination_PageIndex"] = "Page {0}",
        ["MudPagination_CurrentPage"] = "Current page {0}",
    };

    public override LocalizedString this[string key] =>
        EnglishByKey.TryGetValue(key, out var english) ? new LocalizedString(key, strings[english].Value) : base[key];
}
