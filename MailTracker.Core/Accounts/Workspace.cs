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

    public void ChangePlan(Plan plan) => Plan = plan;
}
