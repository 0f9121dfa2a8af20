using MailTracker.Core.Tracking;

namespace MailTracker.Tests.Tracking;

public class TrackingInjectorTests
{
    private const string Base = "https://track.example.com";

    [Fact]
    public void RewritesEveryHttpAndHttpsLinkInDocumentOrder()
    {
        const string html = """<p><a href="https://example.com/pricing">Pricing</a> and <a href="http://example.org/a?b=1&amp;c=2">docs</a></p>""";

        var links = TrackingInjector.FindTrackableLinks(html);
        var sent = TrackingInjector.Apply(html, Base, null, ["tok1", "tok2"]);

        Assert.Equal(["https://example.com/pricing", "http://example.org/a?b=1&c=2"], links);
        Assert.Contains("""href="https://track.example.com/t/c/tok1">Pricing</a>""", sent);
        Assert.Contains("""href="https://track.example.com/t/c/tok2">docs</a>""", sent);
        Assert.DoesNotContain("example.com/pricing", sent);
    }

    [Fact]
    public void LeavesMailtoTelInPageAnchorsRelativeAndNoTrackLinksAlone()
    {
        const string html = """
            <a href="mailto:anna@example.com">mail</a>
            <a href="tel:+48123456789">call</a>
            <a href="#section">jump</a>
            <a href="/relative">relative</a>
            <a href="javascript:alert(1)">js</a>
            <a data-notrack href="https://example.com/unsubscribe">unsubscribe</a>
            <a href="https://example.com/tracked">tracked</a>
            """;

        var links = TrackingInjector.FindTrackableLinks(html);
        var sent = TrackingInjector.Apply(html, Base, null, ["only"]);

        Assert.Equal(["https://example.com/tracked"], links);
        Assert.Contains("mailto:anna@example.com", sent);
        Assert.Contains("tel:+48123456789", sent);
        Assert.Contains("\"#section\"", sent);
        Assert.Contains("https://example.com/unsubscribe", sent);
        Assert.Contains("/t/c/only", sent);
    }

    [Fact]
    public void PutsOnePixelAtTheTopOfTheBodyWhereGmailClippingCannotCutIt()
    {
        var longBody = "<p>Hello</p>" + string.Concat(Enumerable.Repeat("<p>" + new string('x', 1000) + "</p>", 150)) + "<p>Bye</p>";

        var sent = TrackingInjector.Apply(longBody, Base + "/", "opentoken", null);
        var document = TrackingInjector.Apply("<html><body><p>Hello</p></body></html>", Base, "opentoken", null);

        Assert.StartsWith("""<img src="https://track.example.com/t/o/opentoken.gif" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;margin:0;padding:0">""", sent);
        Assert.True(sent.IndexOf("/t/o/opentoken.gif", StringComparison.Ordinal) < 200, "within Gmail's first 102 KB, far from it");
        Assert.True(sent.Length > 102 * 1024);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(sent, "<img"));
        Assert.Contains("<body><img src=\"https://track.example.com/t/o/opentoken.gif\"", document);
    }

    [Fact]
    public void AddsOneHiddenHoneypotLinkThatIsNotAmongTheTrackableLinks()
    {
        const string html = """<p><a href="https://example.com/pricing">Pricing</a></p>""";

        var sent = TrackingInjector.Apply(html, Base, "opentoken", ["tok1"], honeypotToken: "honey");

        Assert.Contains("href=\"https://track.example.com/t/c/honey\"", sent);
        Assert.Contains("display:none", sent);
        Assert.Contains("aria-hidden=\"true\"", sent);
        Assert.Contains("""href="https://track.example.com/t/c/tok1">Pricing</a>""", sent);
        Assert.Equal(["https://track.example.com/t/c/tok1"], TrackingInjector.FindTrackableLinks(sent));
        Assert.DoesNotContain("honey", TrackingInjector.Apply(html, Base, "opentoken", ["tok1"]));
    }

    [Fact]
    public void CopesWithNastyHtml()
    {
        // Unclosed tags, upper-case attributes, unquoted values, whitespace in href, comments and CDATA-like text.
        const string html = """
            <div><P>Hi <A HREF=' https://example.com/x '>one<b>bold</A>
            <!-- <a href="https://example.com/in-comment">no</a> -->
            <a href=https://example.com/unquoted>two
            <table><tr><td><a href="https://example.com/cell">three</a>
            <script>var s = '<a href="https://example.com/in-script">';</script>
            """;

        var links = TrackingInjector.FindTrackableLinks(html);
        var sent = TrackingInjector.Apply(html, Base, "px", links.Select((_, i) => $"t{i}").ToList());

        Assert.Equal(["https://example.com/x", "https://example.com/unquoted", "https://example.com/cell"], links);
        Assert.Contains("/t/c/t0", sent);
        Assert.Contains("/t/c/t1", sent);
        Assert.Contains("/t/c/t2", sent);
        Assert.Contains("/t/o/px.gif", sent);
    }

    [Fact]
    public void KeepsAWholeDocumentWhole()
    {
        const string html = "<html><head><title>T</title></head><body><a href=\"https://example.com\">x</a></body></html>";

        var sent = TrackingInjector.Apply(html, Base, "px", ["t0"]);

        Assert.StartsWith("<html><head><title>T</title></head><body>", sent);
        Assert.EndsWith("</body></html>", sent);
    }

    [Fact]
    public void RefusesWhenTokensDoNotMatchTheLinks()
    {
        Assert.Throws<InvalidOperationException>(() =>
            TrackingInjector.Apply("<a href=\"https://example.com\">x</a>", Base, null, []));
    }
}
