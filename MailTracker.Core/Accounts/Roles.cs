namespace MailTracker.Core.Accounts;

/// <summary>The two workspace roles. The first account is an admin.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string User = "User";
}
