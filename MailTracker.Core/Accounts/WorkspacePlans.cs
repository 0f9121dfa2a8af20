using MailTracker.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Core.Accounts;

/// <summary>The workspace's billing plan, which decides whether email tracking is available.</summary>
public sealed class WorkspacePlans(IDbContextFactory<MailTrackerDbContext> contextFactory)
{
    public async Task<Plan> GetPlanAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return (await db.Workspaces.SingleAsync(cancellationToken)).Plan;
    }

    public async Task ChangePlanAsync(Plan plan, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var workspace = await db.Workspaces.SingleAsync(cancellationToken);
        workspace.ChangePlan(plan);
        await db.SaveChangesAsync(cancellationToken);
    }
}
