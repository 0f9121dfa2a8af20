namespace MailTracker.Core.Templates;

/// <summary>
/// A saved message to start from: name, subject, the composer's HTML body and tracking defaults. Private to its owner,
/// or shared with the workspace (only admins make and change shared ones). Deleting one only marks it deleted, so the
/// messages sent from it keep their <c>TemplateId</c> and its rates (docs/decisions/0019-templates.md).
/// </summary>
public class EmailTemplate
{
    public const int MaxNameLength = 200;

    private EmailTemplate()
    {
    }

    public int Id { get; private set; }

    public string OwnerId { get; private set; } = "";

    public string Name { get; private set; } = "";

    public string Subject { get; private set; } = "";

    public string HtmlBody { get; private set; } = "";

    public bool OpenTracking { get; private set; }

    public bool LinkTracking { get; private set; }

    public bool Shared { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public DateTime? DeletedAt { get; private set; }

    public static EmailTemplate Create(string ownerId, TemplateDetails details, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerId);
        var template = new EmailTemplate { OwnerId = ownerId, CreatedAt = now };
        template.Update(details, now);
        return template;
    }

    public void Update(TemplateDetails details, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(details.Name);
        Name = StoredText.Cut(details.Name.Trim(), MaxNameLength);
        Subject = details.Subject.Trim();
        HtmlBody = details.HtmlBody;
        OpenTracking = details.OpenTracking;
        LinkTracking = details.LinkTracking;
        Shared = details.Shared;
        UpdatedAt = now;
    }

    public void Delete(DateTime now) => DeletedAt ??= now;
}

/// <summary>What the user entered for a template.</summary>
public sealed record TemplateDetails
{
    public required string Name { get; init; }
    public string Subject { get; init; } = "";
    public string HtmlBody { get; init; } = "";
    public bool OpenTracking { get; init; }
    public bool LinkTracking { get; init; }
    public bool Shared { get; init; }
}
