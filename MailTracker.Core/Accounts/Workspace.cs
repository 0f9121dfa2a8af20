namespace MailTracker.Core.Accounts;

public enum Plan
{
    Silver = 0,
    Gold = 1,
    Platinum = 2,
}

/// <summary>The one workspace this installation serves. It carries the billing plan.</summary>
public class Workspace
{
    public const int SingletonId = 1;

    public int Id { get; private set; } = SingletonId;

    public Plan Plan { get; private set; } = Plan.Gold;

    /// <summary>Email tracking is part of email sync on the Gold plan and above.</summary>
    public bool IncludesTracking => Plan >= Plan.Gold;

    /// <summary>
    /// Recipient domains whose mail is never tracked (colleagues, internal mail), lower-case, one per line; an address
    /// at a subdomain counts too. See <c>RecipientTracking</c>.
    /// </summary>
    public string NeverTrackDomains { get; private set; } = "";

    public IReadOnlyList<string> NeverTrackDomainList =>
        NeverTrackDomains.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public void ChangePlan(Plan plan) => Plan = plan;

    /// <summary>Replaces the never-track list with these domains (normalised, de-duplicated, sorted); all must be valid.</summary>
    public void SetNeverTrackDomains(IEnumerable<string> domains)
    {
        var normalised = domains.Select(d => NormalizeDomain(d) ?? throw new ArgumentException($"'{d}' is not a domain.", nameof(domains)))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        NeverTrackDomains = string.Join('\n', normalised);
    }

    /// <summary>"Example.COM", "@example.com" or "https://example.com/" as "example.com"; null when it is not a domain name.</summary>
    public static string? NormalizeDomain(string? value)
    {
        var domain = (value ?? "").Trim().TrimStart('@').ToLowerInvariant();
        if (domain.StartsWith("http://", StringComparison.Ordinal) || domain.StartsWith("https://", StringComparison.Ordinal))
        {
            domain = Uri.TryCreate(domain, UriKind.Absolute, out var uri) ? uri.Host : "";
        }

        domain = domain.TrimEnd('/', '.');
        return domain.Length is > 0 and <= 253 && domain.Contains('.', StringComparison.Ordinal)
            && Uri.CheckHostName(domain) == UriHostNameType.Dns
            && domain.Split('.').All(label => label.Length is > 0 and <= 63)
            ? domain
            : null;
    }

    /// <summary>Whether an address (normalised) is at one of the never-track domains or a subdomain of one.</summary>
    public bool IsNeverTracked(string address)
    {
        var at = address.LastIndexOf('@');
        if (at < 0)
        {
            return false;
        }

        var host = address[(at + 1)..].ToLowerInvariant();
        return NeverTrackDomainList.Any(d => host == d || host.EndsWith("." + d, StringComparison.Ordinal));
    }
}
