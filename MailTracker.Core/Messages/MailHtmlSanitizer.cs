using Ganss.Xss;

namespace MailTracker.Core.Messages;

/// <summary>
/// The two HTML policies: what a sender may compose (formatting and links), and what received mail may keep
/// (no script, no event handlers, no <c>javascript:</c>; remote images are a separate, later decision of the viewer).
/// </summary>
public static class MailHtmlSanitizer
{
    private static readonly HtmlSanitizer Composed = CreateComposed();
    private static readonly HtmlSanitizer Inbound = CreateInbound();

    /// <summary>Keeps the composer's formatting: bold, italic, underline, lists, links, paragraphs, headings, quotes.</summary>
    public static string SanitizeComposed(string html) => Composed.Sanitize(html);

    /// <summary>Received mail: layout and images stay, anything executable goes.</summary>
    public static string SanitizeInbound(string html) => Inbound.Sanitize(html);

    private static HtmlSanitizer CreateComposed()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "p", "br", "div", "span", "b", "strong", "i", "em", "u", "s", "strike", "ul", "ol", "li", "a",
                "blockquote", "h1", "h2", "h3", "h4", "pre", "code", "hr", "img",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "title", "src", "alt", "width", "height", "data-notrack" },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto", "tel" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "src" },
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
        };
        return new HtmlSanitizer(options);
    }

    private static HtmlSanitizer CreateInbound()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedSchemes.Add("tel");
        sanitizer.AllowedSchemes.Add("cid");
        sanitizer.AllowedTags.Remove("form");
        sanitizer.AllowedTags.Remove("input");
        sanitizer.AllowedTags.Remove("button");
        sanitizer.AllowedTags.Remove("textarea");
        sanitizer.AllowedTags.Remove("select");
        sanitizer.AllowedAtRules.Clear();
        return sanitizer;
    }
}
