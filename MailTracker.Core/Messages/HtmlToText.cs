using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace MailTracker.Core.Messages;

/// <summary>Makes the plain-text alternative of an HTML body: paragraphs, line breaks, list items, and links as "text (url)".</summary>
public static class HtmlToText
{
    private static readonly HtmlParser Parser = new();

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "header", "footer", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
        "ul", "ol", "table", "tr", "pre", "hr",
    };

    public static string Convert(string html)
    {
        using var document = Parser.ParseDocument(html);
        var text = new StringBuilder();
        Walk(document.Body ?? (INode)document.DocumentElement, text);
        return Normalise(text.ToString());
    }

    /// <summary>Wraps plain text as HTML paragraphs, escaping it.</summary>
    public static string TextToHtml(string text)
    {
        var paragraphs = text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(paragraphs.Select(p =>
            "<p>" + System.Net.WebUtility.HtmlEncode(p.Trim('\n')).Replace("\n", "<br>", StringComparison.Ordinal) + "</p>"));
    }

    private static void Walk(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    text.Append(CollapseWhitespace(t.Data));
                    break;
                case IElement e when e.LocalName is "script" or "style" or "head" or "title":
                    break;
                case IElement e when e.LocalName == "br":
                    text.Append('\n');
                    break;
                case IElement e when e.LocalName == "li":
                    text.Append("\n- ");
                    Walk(e, text);
                    break;
                case IElement e when e.LocalName == "a":
                    var before = text.Length;
                    Walk(e, text);
                    var label = text.ToString(before, text.Length - before).Trim();
                    var href = e.GetAttribute("href");
                    if (!string.IsNullOrWhiteSpace(href) && !href.StartsWith('#') && label != href.Trim())
                    {
                        text.Append(" (").Append(href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? href[7..] : href.Trim()).Append(')');
                    }

                    break;
                case IElement e when Blocks.Contains(e.LocalName):
                    text.Append("\n\n");
                    Walk(e, text);
                    text.Append("\n\n");
                    break;
                case IElement e:
                    Walk(e, text);
                    break;
            }
        }
    }

    private static string CollapseWhitespace(string s)
    {
        var builder = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c) && c != '\u00a0')
            {
                if (!space)
                {
                    builder.Append(' ');
                }

                space = true;
            }
            else
            {
                builder.Append(c == '\u00a0' ? ' ' : c);
                space = false;
            }
        }

        return builder.ToString();
    }

    private static string Normalise(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim());
        var result = new StringBuilder();
        var blank = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                blank++;
                continue;
            }

            if (result.Length > 0)
            {
                result.Append(blank > 0 ? "\n\n" : "\n");
            }

            result.Append(line);
            blank = 0;
        }

        return result.ToString();
    }
}
