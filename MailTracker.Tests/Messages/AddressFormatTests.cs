using MailTracker.Core.Messages;

namespace MailTracker.Tests.Messages;

public class AddressFormatTests
{
    [Fact]
    public void ParsesSeveralAddressesWithNamesAndQuotedCommas()
    {
        Assert.True(AddressFormat.TryParseList("\"Nowak, Anna\" <anna@example.com>, bob@example.org; Carl <carl@example.net>", out var list, out _));

        Assert.Equal(["anna@example.com", "bob@example.org", "carl@example.net"], list.Select(a => a.Address));
        Assert.Equal("Nowak, Anna", list[0].Name);
    }

    [Theory]
    [InlineData("bob")]
    [InlineData("bob@")]
    [InlineData("@example.com")]
    [InlineData("bob@example")]
    [InlineData("bob@@example.com")]
    [InlineData("good@example.com, not an address")]
    public void RejectsMalformedAddressesNamingTheBadOne(string input)
    {
        Assert.False(AddressFormat.TryParseList(input, out _, out var invalid));
        Assert.False(string.IsNullOrEmpty(invalid));
    }

    [Fact]
    public void AnEmptyFieldIsAnEmptyList()
    {
        Assert.True(AddressFormat.TryParseList("  ", out var list, out _));
        Assert.Empty(list);
    }
}
