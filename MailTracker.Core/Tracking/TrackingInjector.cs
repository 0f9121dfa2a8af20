using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace MailTracker.Core.Tracking;

/// <summary>
/// Applies tracking to the HTML of the outgoing copy only: rewrites trackable links to the click endpoint, puts the open
/// pixel at the top of the body (Gmail clips messages past ~102 KB, cutting off anything at the end), and, when asked,
/// adds a hidden honeypot link no person can see or follow. Uses a real HTML parser; the sender's copy is never changed.
/// </summary>
public static class TrackingInjector
{
    private static readonly HtmlParser Parser = new();

    /// <summary>
    /// The links that link tracking rewrites, in document order: <c>http</c>/<c>https</c> anchors that are not
    /// marked <c>data-notrack</c>. <c>mailto:</c>, <c>tel:</c> and in-page anchors are left alone.
    /// </summary>
    public static IReadOnlyList<string> FindTrackableLinks(string html)
    {
        using var document = Parser.ParseDocument(html);
        return TrackableAnchors(document).Select(a => a.GetAttribute("href")!.Trim()).ToList();
    }

    /// <summary>Returns the HTML to send.</summary>
    /// <param name="html">The sender's HTML.</param>
    /// <param name="publicBaseUrl">Where recipients reach the tracking endpoints, without a trailing slash.</param>
    /// <param name="openToken">The pixel token, or null when open tracking is off.</param>
    /// <param name="linkTokens">One token per trackable link in document order, or null when link tracking is off.</param>
    /// <param name="honeypotToken">
    /// The click token of the hidden honeypot link (stored as a <c>TrackedLink</c> marked hidden), or null for none. It is
    /// not one of <see cref="FindTrackableLinks"/>; whatever follows it is a machine.
    /// </param>
    public static string Apply(string html, string publicBaseUrl, string? openToken, IReadOnlyList<string>? linkTokens, string? honeypotToken = null)
    {
        var baseUrl = publicBaseUrl.TrimEnd('/');
        using var document = Parser.ParseDocument(html);

        if (linkTokens is not null)
        {
            var anchors = TrackableAnchors(document).ToList();
            if (anchors.Count != linkTokens.Count)
            {
                throw new InvalidOperationException(
                    $"The body has {anchors.Count} trackable links but {linkTokens.Count} tokens were issued.");
            }

            for (var i = 0; i < anchors.Count; i++)
            {
                anchors[i].SetAttribute("href", $"{baseUrl}/t/c/{linkTokens[i]}");
            }
        }

        if (openToken is not null)
        {
            var pixel = document.CreateElement("img");
            pixel.SetAttribute("src", $"{baseUrl}/t/o/{openToken}.gif");
            pixel.SetAttribute("width", "1");
            pixel.SetAttribute("height", "1");
            pixel.SetAttribute("alt", "");
            pixel.SetAttribute("style", "display:block;width:1px;height:1px;border:0;margin:0;padding:0");
            // First in the body: a clipped Gmail message still loads it.
            document.Body!.Prepend(pixel);
        }

        if (honeypotToken is not null)
        {
            // No text, not displayed, out of the tab order and hidden from screen readers: no person can follow it.
            var honeypot = document.CreateElement("a");
            honeypot.SetAttribute("href", $"{baseUrl}/t/c/{honeypotToken}");
            honeypot.SetAttribute("style", "display:none!important;mso-hide:all;font-size:0;line-height:0;max-height:0;overflow:hidden");
            honeypot.SetAttribute("aria-hidden", "true");
            honeypot.SetAttribute("tabindex", "-1");
            honeypot.SetAttribute("data-notrack", "");
            document.Body!.Prepend(honeypot);
        }

        // A whole document if the sender wrote one; otherwise the body's content is enough for MIME.
        return html.Contains("<html", StringComparison.OrdinalIgnoreCase)
            ? document.DocumentElement.OuterHtml
            : document.Body!.InnerHtml;
    }

    private static IEnumerable<IHtmlAnchorElement> TrackableAnchors(AngleSharp.Dom.IDocument document) =>
        document.QuerySelectorAll("a[href]")
            .OfType<IHtmlAnchorElement>()
            .Where(a => !a.HasAttribute("data-notrack") && IsTrackableUrl(a.GetAttribute("href")));

    /// <summary>Only absolute http(s) URLs are tracked.</summary>
    public static bool IsTrackableUrl(string? href)
    {
        if (string.IsNullOrWhiteSpace(href))
        {
            return false;
        }

        return Uri.TryCreate(href.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
    }
}
