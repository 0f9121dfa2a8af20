using System.Threading.Channels;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailTracker.Core.Accounts;
using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using Microsoft.Extensions.Logging;
using MailFolder = MailTracker.Core.Messages.MailFolder;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MailTracker.Core.Sync;

/// <summary>
/// One sync pass over one folder: checks UIDVALIDITY, appends MailTracker's sent copies (Sent folder), fetches what is
/// new — the initial window the first time, then UIDs above the last one — and exchanges \Seen flags both ways.
/// </summary>
public sealed partial class FolderSynchronizer(
    SyncStore store,
    IUserPush push,
    IOptions<SyncOptions> options,
    TimeProvider time,
    ILogger<FolderSynchronizer> logger)
{
    private static readonly FetchRequest SummaryRequest = new(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.Size);

    /// <summary>Syncs <paramref name="folder"/> into the mailbox's <paramref name="state"/>.Folder. Returns the number of new messages.</summary>
    public async Task<int> SyncAsync(IMailFolder folder, MailAccount account, FolderSyncState state, CancellationToken cancellationToken)
    {
        if (!folder.IsOpen || folder.Access != FolderAccess.ReadWrite)
        {
            await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        }

        if (state.ServerName != folder.FullName)
        {
            state.Found(folder.FullName);
        }

        if (state.UidValidity != folder.UidValidity)
        {
            if (state.UidValidity != 0)
            {
                LogUidValidityChanged(account.Id, folder.FullName, state.UidValidity, folder.UidValidity);
                await store.ForgetUidsAsync(account.Id, state.Folder, cancellationToken);
            }

            state.StartOver(folder.UidValidity);
            await store.SaveStateAsync(state, cancellationToken);
        }

        if (state.Folder == MailFolder.Sent && account.AppendToSentFolder)
        {
            await AppendSentCopiesAsync(folder, account, state, cancellationToken);
        }

        // Pushed to the server first, so its flags (read next) already agree with what was read here.
        await UploadSeenAsync(folder, account, state, cancellationToken);

        int added;
        if (!state.InitialSyncDone)
        {
            var before = folder.UidNext?.Id ?? 0;
            var since = time.GetUtcNow().UtcDateTime.Date.AddDays(-options.Value.InitialDays);
            var uids = await folder.SearchAsync(SearchQuery.DeliveredAfter(since), cancellationToken);
            state.BeginInitialSync(uids.Count);
            await store.SaveStateAsync(state, cancellationToken);
            await PushStatusAsync(account, cancellationToken);
            added = await FetchAndStoreAsync(folder, account, state, uids, initial: true, cancellationToken);
            // Everything below UIDNEXT as it was before the search has been considered; later arrivals come next pass.
            var highest = uids.Count > 0 ? uids.Max(u => u.Id) : 0;
            state.CompleteInitialSync(Math.Max(before == 0 ? 0 : before - 1, highest));
        }
        else
        {
            var start = new UniqueId((uint)Math.Min(uint.MaxValue, state.LastUid + 1));
            var uids = (await folder.SearchAsync(SearchQuery.Uids(new UniqueIdRange(start, UniqueId.MaxValue)), cancellationToken))
                .Where(u => u.Id > state.LastUid).ToList();
            added = await FetchAndStoreAsync(folder, account, state, uids, initial: false, cancellationToken);
            await RemoveDeletedAsync(folder, account, state, cancellationToken);
        }

        await DownloadSeenAsync(folder, account, state, cancellationToken);
        state.Succeeded(time.GetUtcNow().UtcDateTime);
        await store.SaveStateAsync(state, cancellationToken);
        return added;
    }

    /// <summary>
    /// Fetches and stores in batches, as a two-stage pipeline: while one batch is being stored, the next one is already
    /// coming over IMAP and being parsed and sanitised on the other cores. The IMAP session is only used by the first stage.
    /// </summary>
    private async Task<int> FetchAndStoreAsync(IMailFolder folder, MailAccount account, FolderSyncState state, IList<UniqueId> uids, bool initial, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var fetched = Channel.CreateBounded<FetchedBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var producing = ProduceAsync(fetched.Writer, (ImapFolder)folder, account, state, uids, stop.Token);
        var added = 0;
        try
        {
            await foreach (var batch in fetched.Reader.ReadAllAsync(cancellationToken))
            {
                var mails = await batch.Mails;
                var outcome = await store.StoreAsync(account, state.Folder, state.UidValidity, mails, cancellationToken);
                added += outcome.Added;
                if (initial)
                {
                    state.InitialProgress(batch.Count);
                }
                else
                {
                    state.Advance(batch.HighestUid);
                }

                await store.SaveStateAsync(state, cancellationToken);
                if (outcome.Added > 0)
                {
                    await push.PushAsync(account.OwnerId, new UserPushEvent(UserPushKinds.Message, null, null), cancellationToken);
                }

                foreach (var sentId in outcome.RepliedTo)
                {
                    await push.PushAsync(account.OwnerId, new UserPushEvent(UserPushKinds.Tracking, sentId, null), cancellationToken);
                }

                if (initial)
                {
                    await PushStatusAsync(account, cancellationToken);
                }
            }
        }
        finally
        {
            // On a failure here the fetching stage must not go on using the IMAP session.
            await stop.CancelAsync();
            try
            {
                await producing;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped because the storing stage ended.
            }
        }

        return added;
    }

    private async Task ProduceAsync(ChannelWriter<FetchedBatch> writer, ImapFolder folder, MailAccount account, FolderSyncState state, IList<UniqueId> uids, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            foreach (var batch in uids.OrderBy(u => u.Id).Chunk(options.Value.BatchSize))
            {
                var known = await store.KnownUidsAsync(account.Id, state.Folder, state.UidValidity, batch.Select(u => (long)u.Id).ToList(), cancellationToken);
                var wanted = batch.Where(u => !known.Contains(u.Id)).ToList();
                var raw = wanted.Count == 0 ? [] : await FetchRawAsync(folder, wanted, cancellationToken);
                // Parsing and sanitising need no connection: they run while the next batch is fetched.
                var mails = Task.Run(() => Read(raw, cancellationToken), cancellationToken);
                await writer.WriteAsync(new FetchedBatch(batch.Length, batch.Max(u => (long)u.Id), mails), cancellationToken);
            }
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            writer.TryComplete(failure);
        }
    }

    /// <summary>Whole messages in one FETCH for the usual sizes; headers and text parts only for big ones.</summary>
    private async Task<List<RawMail>> FetchRawAsync(ImapFolder folder, IList<UniqueId> uids, CancellationToken cancellationToken)
    {
        var summaries = await folder.FetchAsync(uids, SummaryRequest, cancellationToken);
        var byUid = summaries.ToDictionary(s => s.UniqueId.Id);
        var limit = options.Value.MaxMessageBytes;
        var whole = summaries.Where(s => (s.Size ?? 0) <= limit).Select(s => s.UniqueId).ToList();
        var raw = new List<RawMail>(summaries.Count);
        if (whole.Count > 0)
        {
            await folder.GetStreamsAsync(whole, async (_, _, uid, stream, token) =>
            {
                var copy = new MemoryStream(byUid[uid.Id].Size is { } size ? (int)size : 16 * 1024);
                await stream.CopyToAsync(copy, token);
                raw.Add(new RawMail(byUid[uid.Id], new ArraySegment<byte>(copy.GetBuffer(), 0, (int)copy.Length), null, null));
            }, cancellationToken);
        }

        foreach (var summary in summaries.Where(s => (s.Size ?? 0) > limit))
        {
            var headers = await folder.GetHeadersAsync(summary.UniqueId, cancellationToken);
            var structure = (await folder.FetchAsync([summary.UniqueId], new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.BodyStructure), cancellationToken)).FirstOrDefault();
            var text = structure?.TextBody is { } textPart ? await ReadTextAsync(folder, summary.UniqueId, textPart, cancellationToken) : null;
            var html = structure?.HtmlBody is { } htmlPart ? await ReadTextAsync(folder, summary.UniqueId, htmlPart, cancellationToken) : null;
            using var headerStream = new MemoryStream();
            await headers.WriteToAsync(headerStream, cancellationToken);
            headerStream.Write("\r\n"u8);
            raw.Add(new RawMail(summary, headerStream.ToArray(), text ?? "", html));
        }

        return raw;
    }

    /// <summary>
    /// Parsing, and above all sanitising HTML, is the costly part of a big initial sync: it runs on every core. A message
    /// that cannot be read is stored as a stub saying so, rather than holding up every message after it.
    /// </summary>
    private List<FetchedMail> Read(List<RawMail> raw, CancellationToken cancellationToken)
    {
        var mails = new FetchedMail[raw.Count];
        Parallel.For(0, raw.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var (summary, bytes, text, html) = raw[i];
            try
            {
                using var stream = new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false);
                var mime = MimeMessage.Load(stream, cancellationToken);
                mails[i] = InboundMailReader.Read(mime, summary.UniqueId.Id, IsSeen(summary), summary.InternalDate, text, html);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogUnreadable(ex, summary.UniqueId.Id);
                mails[i] = InboundMailReader.Unreadable(summary.UniqueId.Id, IsSeen(summary), summary.InternalDate);
            }
        });
        return [.. mails];
    }

    private static async Task<string?> ReadTextAsync(ImapFolder folder, UniqueId uid, BodyPartText part, CancellationToken cancellationToken) =>
        await folder.GetBodyPartAsync(uid, part, cancellationToken) is TextPart text ? text.Text : null;

    private static bool IsSeen(IMessageSummary summary) => summary.Flags is { } flags && flags.HasFlag(MessageFlags.Seen);

    /// <summary>Read (or unread) here → \Seen on the server.</summary>
    private async Task UploadSeenAsync(IMailFolder folder, MailAccount account, FolderSyncState state, CancellationToken cancellationToken)
    {
        var pending = await store.PendingSeenAsync(account.Id, state.Folder, state.UidValidity, cancellationToken);
        if (pending.Count == 0)
        {
            return;
        }

        var read = pending.Where(p => p.IsRead).Select(p => new UniqueId((uint)p.Uid)).ToList();
        var unread = pending.Where(p => !p.IsRead).Select(p => new UniqueId((uint)p.Uid)).ToList();
        if (read.Count > 0)
        {
            await folder.StoreAsync(read, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Silent = true }, cancellationToken);
        }

        if (unread.Count > 0)
        {
            await folder.StoreAsync(unread, new StoreFlagsRequest(StoreAction.Remove, MessageFlags.Seen) { Silent = true }, cancellationToken);
        }

        await store.ClearSeenPendingAsync(pending, cancellationToken);
    }

    /// <summary>
    /// Mail deleted on the server is deleted here: the UIDs still there, from the lowest one stored here up to the last
    /// one seen, are compared with those stored (UIDs are never reused under one UIDVALIDITY).
    /// </summary>
    private async Task RemoveDeletedAsync(IMailFolder folder, MailAccount account, FolderSyncState state, CancellationToken cancellationToken)
    {
        var stored = await store.SyncedUidsAsync(account.Id, state.Folder, state.UidValidity, cancellationToken);
        var lowest = stored.Count == 0 ? long.MaxValue : stored.Keys.Min();
        if (lowest > state.LastUid)
        {
            return;
        }

        var range = new UniqueIdRange(new UniqueId((uint)lowest), new UniqueId((uint)Math.Min(uint.MaxValue, state.LastUid)));
        var onServer = (await folder.SearchAsync(SearchQuery.Uids(range), cancellationToken)).Select(u => (long)u.Id).ToHashSet();
        var gone = stored.Where(m => m.Key <= state.LastUid && !onServer.Contains(m.Key)).Select(m => m.Value).ToList();
        if (gone.Count > 0)
        {
            await store.DeleteMessagesAsync(gone, cancellationToken);
            LogRemoved(account.Id, folder.FullName, gone.Count);
            await push.PushAsync(account.OwnerId, new UserPushEvent(UserPushKinds.Message, null, null), cancellationToken);
        }
    }

    /// <summary>\Seen on the server → read here. With CONDSTORE only the flags changed since last time travel.</summary>
    private async Task DownloadSeenAsync(IMailFolder folder, MailAccount account, FolderSyncState state, CancellationToken cancellationToken)
    {
        if (state.LastUid == 0)
        {
            return;
        }

        var request = new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags);
        var incremental = folder.Supports(FolderFeature.ModSequences) && state.HighestModSeq > 0;
        if (incremental)
        {
            request.ChangedSince = (ulong)state.HighestModSeq;
        }

        var range = new UniqueIdRange(UniqueId.MinValue, new UniqueId((uint)Math.Min(uint.MaxValue, state.LastUid)));
        var flags = await folder.FetchAsync(range, request, cancellationToken);
        var seenByUid = flags.Where(f => f.Flags is not null).ToDictionary(f => (long)f.UniqueId.Id, IsSeen);
        var changed = await store.ApplyServerSeenAsync(account.Id, state.Folder, state.UidValidity, seenByUid, cancellationToken);
        if (folder.Supports(FolderFeature.ModSequences) && folder.HighestModSeq > 0)
        {
            state.FlagsSeenUpTo((long)folder.HighestModSeq);
        }

        if (changed > 0)
        {
            await push.PushAsync(account.OwnerId, new UserPushEvent(UserPushKinds.Message, null, null), cancellationToken);
        }
    }

    /// <summary>
    /// The sender's copy of mail MailTracker sent — no pixel, original links — goes into the Sent folder. Looking it up
    /// by Message-ID first makes this safe to repeat after a crash between APPEND and recording its UID.
    /// </summary>
    private async Task AppendSentCopiesAsync(IMailFolder folder, MailAccount account, FolderSyncState state, CancellationToken cancellationToken)
    {
        foreach (var message in await store.PendingSentCopiesAsync(account, cancellationToken))
        {
            var onServer = await folder.SearchAsync(SearchQuery.HeaderContains("Message-ID", message.MessageIdHeader), cancellationToken);
            UniqueId? uid = onServer.Count > 0 ? onServer[0] : null;
            if (uid is null)
            {
                var copy = OutgoingMimeFactory.Build(message, tracking: null);
                var date = message.SentAt is { } sent ? new DateTimeOffset(sent, TimeSpan.Zero) : time.GetUtcNow();
                uid = await folder.AppendAsync(new AppendRequest(copy, MessageFlags.Seen, date), cancellationToken);
                LogAppended(message.Id, folder.FullName);
            }

            // Without UIDPLUS the UID is unknown here; the fetch that follows recognises the copy by its Message-ID.
            if (uid is { } known && folder.UidValidity == state.UidValidity)
            {
                await store.LinkAsync(message.Id, state.UidValidity, known.Id, cancellationToken);
            }
        }
    }

    /// <summary>A message as it came over IMAP: whole, or (when big) headers plus its text and HTML parts.</summary>
    private sealed record RawMail(IMessageSummary Summary, ArraySegment<byte> Bytes, string? Text, string? Html);

    private sealed record FetchedBatch(int Count, long HighestUid, Task<List<FetchedMail>> Mails);

    private Task PushStatusAsync(MailAccount account, CancellationToken cancellationToken) =>
        push.PushAsync(account.OwnerId, new UserPushEvent(UserPushKinds.Sync, null, null), cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mailbox {AccountId}: {Count} message(s) deleted on the server removed from {Folder}")]
    private partial void LogRemoved(int accountId, string folder, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mailbox {AccountId}: UIDVALIDITY of {Folder} changed from {Old} to {New}; resyncing it")]
    private partial void LogUidValidityChanged(int accountId, string folder, long old, uint @new);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The message with UID {Uid} could not be read; a stub is stored instead")]
    private partial void LogUnreadable(Exception exception, uint uid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId}: sender's copy appended to {Folder}")]
    private partial void LogAppended(long messageId, string folder);
}
