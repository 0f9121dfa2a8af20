using System.Globalization;
using MailTracker.Core.Contacts;
using MailTracker.Web.Localization;
using Microsoft.Extensions.Localization;

namespace MailTracker.Web.Components.Pages.Contacts;

/// <summary>Words for the contacts and deals codes, in the user's language.</summary>
public static class ContactText
{
    public static string Error(IStringLocalizer<Strings> l, ContactError error) => error switch
    {
        { Kind: ContactErrorKind.Required, Field: ContactField.Name } => l["Enter a name."],
        { Kind: ContactErrorKind.Required, Field: ContactField.Email } => l["Enter an email address."],
        { Kind: ContactErrorKind.Required, Field: ContactField.Title } => l["Enter a title."],
        { Kind: ContactErrorKind.InvalidAddress } => l["“{0}” is not a valid email address.", error.Value ?? ""],
        { Kind: ContactErrorKind.AddressTaken } => l["{0} already belongs to someone in your contacts.", error.Value ?? ""],
        { Kind: ContactErrorKind.TooLong } => l["At most {0} characters.", error.Value ?? ""],
        { Kind: ContactErrorKind.Invalid, Field: ContactField.Value } => l["Enter an amount of 0 or more, with at most two decimals."],
        { Kind: ContactErrorKind.Invalid, Field: ContactField.OtherEmails } => l["At most {0} addresses per person.", error.Value ?? ""],
        { Kind: ContactErrorKind.NotFound, Field: ContactField.Person } => l["Choose one of your contacts."],
        { Kind: ContactErrorKind.NotFound } => l["It no longer exists. It may have been deleted in another tab."],
        _ => l["Check this field."],
    };

    public static string Stage(IStringLocalizer<Strings> l, DealStage stage) => stage switch
    {
        DealStage.Lead => l["Lead"],
        DealStage.Contacted => l["Contacted"],
        DealStage.Proposal => l["Proposal"],
        DealStage.Negotiation => l["Negotiation"],
        DealStage.Won => l["Won"],
        DealStage.Lost => l["Lost"],
        _ => stage.ToString(),
    };

    /// <summary>"12,500.00 EUR" (or "12 500,00 EUR" in Polish): the code, not a symbol, so every currency reads the same.</summary>
    public static string Money(decimal value, string currency) =>
        $"{value.ToString("N2", CultureInfo.CurrentCulture)} {currency}";
}
