namespace MailTracker.Web.Localization;

/// <summary>The UI languages, and the names each is offered under.</summary>
public static class SupportedCultures
{
    public const string Default = "en";

    public static readonly IReadOnlyList<(string Code, string Name)> All = [("en", "English"), ("pl", "Polski")];

    public static string[] Codes => All.Select(c => c.Code).ToArray();

    public static string Normalise(string? culture) =>
        All.Any(c => c.Code == culture) ? culture! : Default;
}
