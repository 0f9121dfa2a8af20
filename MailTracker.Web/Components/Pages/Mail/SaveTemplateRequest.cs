namespace MailTracker.Web.Components.Pages.Mail;

/// <summary>What Save as template asks for: the template's name and whether it is shared (admins).</summary>
public sealed record SaveTemplateRequest(string Name, bool Shared);
