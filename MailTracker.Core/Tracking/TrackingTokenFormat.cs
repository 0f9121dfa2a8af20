using System.Buffers.Text;
using System.Security.Cryptography;

namespace MailTracker.Core.Tracking;

/// <summary>
/// Tracking tokens: 128 random bits, base64url without padding (22 characters). They carry no ids and
/// nothing guessable; a token means something only if the database has it.
/// </summary>
public static class TrackingTokenFormat
{
    public const int Length = 22;

    public static string NewToken()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>
    /// Cheap shape check before any lookup: 22 base64url characters whose unused low bits are zero, which
    /// rejects most tampered tokens without touching the database.
    /// </summary>
    public static bool IsWellFormed(ReadOnlySpan<char> token)
    {
        if (token.Length != Length)
        {
            return false;
        }

        foreach (var c in token)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        // 22 characters carry 132 bits; the last character's 4 low bits must be zero for 16 bytes.
        var last = token[^1];
        return last is 'A' or 'Q' or 'g' or 'w';
    }
}
