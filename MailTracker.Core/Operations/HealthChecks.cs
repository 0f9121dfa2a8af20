namespace MailTracker.Core.Operations;

/// <summary>
/// Names and tags of the health checks. <c>/healthz</c> (liveness) runs only the checks tagged <see cref="Live"/>;
/// <c>/healthz/ready</c> runs every registered check, so a new dependency needs one line:
/// <c>services.AddHealthChecks().AddCheck&lt;MyCheck&gt;("name")</c>.
/// </summary>
public static class HealthChecks
{
    public const string Live = "live";

    public const string Self = "self";
    public const string Database = "database";
    public const string Outbox = "outbox";
    public const string Sync = "sync";
    public const string Redis = "redis";
    public const string Tracking = "tracking";
}
