using MailTracker.Core.Accounts;
using MailTracker.Core.Messages;

namespace MailTracker.Core.Sync;

/// <summary>
/// How far one folder (Inbox or Sent) of one mailbox has been synced: the server's UIDVALIDITY and the highest UID
/// stored, the initial sync's progress, and the last outcome. A UIDVALIDITY change starts the folder over.
/// </summary>
public class FolderSyncState
{
    private FolderSyncState()
    {
    }

    public FolderSyncState(int mailAccountId, MailFolder folder)
    {
        MailAccountId = mailAccountId;
        Folder = folder;
    }

    public int Id { get; private set; }

    public int MailAccountId { get; private set; }

    public MailFolder Folder { get; private set; }

    /// <summary>The folder's name on the server (e.g. "Sent Items"), once found.</summary>
    public string? ServerName { get; private set; }

    public long UidValidity { get; private set; }

    /// <summary>Every message up to this UID has been looked at; the next sync asks for higher ones.</summary>
    public long LastUid { get; private set; }

    /// <summary>CONDSTORE: flags changed since this mod-sequence are fetched; 0 when the server has none.</summary>
    public long HighestModSeq { get; private set; }

    public bool InitialSyncDone { get; private set; }

    /// <summary>Messages in the initial window, and how many are stored so far (the progress shown while it runs).</summary>
    public int InitialTotal { get; private set; }

    public int InitialStored { get; private set; }

    public DateTime? LastSyncAt { get; private set; }

    public MailConnectionProblemKind? LastErrorKind { get; private set; }

    public string? LastError { get; private set; }

    public DateTime? LastErrorAt { get; private set; }

    public int ConsecutiveFailures { get; private set; }

    public void Found(string serverName) => ServerName = serverName;

    /// <summary>
    /// The server's UIDVALIDITY is not the one our UIDs belong to (first sync, or the server renumbered the folder):
    /// everything is looked at again from the initial window; already stored mail is recognised by Message-ID.
    /// </summary>
    public void StartOver(long uidValidity)
    {
        UidValidity = uidValidity;
        LastUid = 0;
        HighestModSeq = 0;
        InitialSyncDone = false;
        InitialTotal = 0;
        InitialStored = 0;
    }

    public void BeginInitialSync(int total)
    {
        InitialTotal = total;
        InitialStored = 0;
    }

    public void InitialProgress(int stored) => InitialStored = Math.Min(InitialTotal, InitialStored + stored);

    public void Advance(long lastUid)
    {
        if (lastUid > LastUid)
        {
            LastUid = lastUid;
        }
    }

    public void CompleteInitialSync(long lastUid)
    {
        Advance(lastUid);
        InitialStored = InitialTotal;
        InitialSyncDone = true;
    }

    public void FlagsSeenUpTo(long highestModSeq) => HighestModSeq = highestModSeq;

    public void Succeeded(DateTime now)
    {
        LastSyncAt = now;
        LastErrorKind = null;
        LastError = null;
        LastErrorAt = null;
        ConsecutiveFailures = 0;
    }

    public void Failed(MailConnectionProblem problem, DateTime now)
    {
        LastErrorKind = problem.Kind;
        LastError = StoredText.Cut(problem.Detail, 1000);
        LastErrorAt = now;
        ConsecutiveFailures++;
    }
}
