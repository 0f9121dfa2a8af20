namespace MailTracker.Core.Tracking.Intake;

/// <summary>
/// How far a projection has read its intake, stored in the main database and advanced in the same transaction as
/// what it projected, so a restart resumes exactly where the last committed batch ended.
/// </summary>
public class ProjectionCursor
{
    public required string Name { get; set; }

    /// <summary>The last intake position projected (0: none yet).</summary>
    public long Position { get; set; }
}
