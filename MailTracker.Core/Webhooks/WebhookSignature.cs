using System.Security.Cryptography;
using System.Text;

namespace MailTracker.Core.Webhooks;

/// <summary>
/// The signature integrators verify: <c>X-MailTracker-Signature: sha256=</c> hex HMAC-SHA256, keyed with the endpoint's
/// secret, of <c>{X-MailTracker-Timestamp}.{body}</c> (the timestamp in Unix seconds, so a replay is detectable).
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-MailTracker-Signature";
    public const string TimestampHeader = "X-MailTracker-Timestamp";
    public const string EventHeader = "X-MailTracker-Event";
    public const string DeliveryHeader = "X-MailTracker-Delivery";

    public static string Sign(string secret, long timestamp, byte[] body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var data = new byte[prefix.Length + body.Length];
        prefix.CopyTo(data, 0);
        body.CopyTo(data, prefix.Length);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data));
    }

    /// <summary>A new secret: 32 random bytes, shown to the admin once.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
