namespace MailTracker.Web;

/// <summary>The <c>SignalR</c> section: set <c>Redis</c> to a Redis connection string when running several instances.</summary>
public sealed class ScaleOutOptions
{
    public const string Section = "SignalR";

    /// <summary>A StackExchange.Redis connection string, e.g. <c>127.0.0.1:6379</c>; empty for one instance.</summary>
    public string? Redis { get; set; }
}
