namespace MailTracker.Web.Localization;

/// <summary>
/// The UI's text: <c>IStringLocalizer&lt;Strings&gt;</c> reads <c>Strings.resx</c> (English) and <c>Strings.pl.resx</c>
/// (Polish). Keys are the English text, so the markup reads naturally.
/// </summary>
public sealed class Strings;
