using MailTracker.Core.Tracking;

namespace MailTracker.Tests.Tracking;

public class TrackingTokenFormatTests
{
    [Fact]
    public void NewTokenIs22Base64UrlCharactersAndWellFormed()
    {
        var token = TrackingTokenFormat.NewToken();

        Assert.Equal(22, token.Length);
        Assert.Matches("^[A-Za-z0-9_-]{22}$", token);
        Assert.True(TrackingTokenFormat.IsWellFormed(token));
    }

    [Fact]
    public void TokensDoNotRepeat()
    {
        var tokens = Enumerable.Range(0, 20_000).Select(_ => TrackingTokenFormat.NewToken()).ToHashSet();

        Assert.Equal(20_000, tokens.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAA")]   // 23 characters
    [InlineData("AAAAAAAAAAAAAAAAAAAA+A")]    // not base64url
    [InlineData("AAAAAAAAAAAAAAAAAAAA/A")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAB")]    // low bits set: not 16 bytes
    [InlineData("../../etc/passwd.gif....")]
    public void TamperedOrMalformedTokensAreRejectedBeforeAnyLookup(string token)
    {
        Assert.False(TrackingTokenFormat.IsWellFormed(token));
    }
}
