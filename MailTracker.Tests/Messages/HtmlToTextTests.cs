using MailTracker.Core.Messages;

namespace MailTracker.Tests.Messages;

public class HtmlToTextTests
{
    [Fact]
    public void KeepsParagraphsListsAndLinkAddresses()
    {
        const string html = "<p>Hello <b>Bob</b>,</p><ul><li>one</li><li>two</li></ul><p>See <a href=\"https://example.com/pricing\">pricing</a>.<br>Thanks</p><script>x()</script>";

        var text = HtmlToText.Convert(html);

        Assert.Equal("Hello Bob,\n\n- one\n- two\n\nSee pricing (https://example.com/pricing).\nThanks", text);
    }

    [Fact]
    public void PlainTextBecomesEscapedParagraphs()
    {
        Assert.Equal("<p>a &lt;b&gt;<br>c</p><p>d</p>", HtmlToText.TextToHtml("a <b>\nc\n\nd"));
    }
}
