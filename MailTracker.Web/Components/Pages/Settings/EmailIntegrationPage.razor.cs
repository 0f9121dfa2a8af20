using MailTracker.Core.Accounts;
using MailTracker.Core.Notifications;
using MailTracker.Web.Live;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MailTracker.Web.Components.Pages.Settings;

/// <summary>Settings › Personal › Email integration: the connected mailbox, its sync, connecting one, and the tracking switches.</summary>
public sealed partial class EmailIntegrationPage
{
    private const string OtherProvider = "";

    private MailboxView? _view;
    private MailboxForm _form = new();
    private MailboxSettings? _tested;
    private ConnectResult? _result;
    private bool _testing;

    [Inject]
    private MailboxConnections Connections { get; set; } = default!;

    [Inject]
    private CurrentUser Me { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var user = await Me.LoadAsync();
        _form.EmailAddress = user?.Email ?? "";
        await LoadAsync();
    }

    private async Task LoadAsync() => _view = await Connections.GetAsync(Me.Id);

    private bool Invalid(MailboxField field) => _result?.Invalid.Contains(field) == true;

    private void ApplyPreset(string name)
    {
        _form.Provider = name;
        if (MailboxPreset.All.FirstOrDefault(p => p.Name == name) is { } preset)
        {
            _form.SmtpHost = preset.SmtpHost;
            _form.SmtpPort = preset.SmtpPort;
            _form.SmtpSecurity = preset.SmtpSecurity;
            _form.ImapHost = preset.ImapHost;
            _form.ImapPort = preset.ImapPort;
            _form.ImapSecurity = preset.ImapSecurity;
            _form.AppendToSentFolder = !preset.ProviderSavesSentMail;
        }
    }

    private async Task ConnectAsync()
    {
        _testing = true;
        _result = null;
        _tested = _form.ToSettings();
        StateHasChanged();
        try
        {
            _result = await Connections.ConnectAsync(Me.Id, _tested);
            if (_result.Connected)
            {
                _form = new MailboxForm { EmailAddress = _tested.EmailAddress };
                _result = null;
                Snackbar.Add(L["Connected. The first sync has started."], Severity.Success);
                await LoadAsync();
            }
        }
        finally
        {
            _testing = false;
        }
    }

    private async Task DisconnectAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            L["Disconnect this mailbox?"],
            L["Sending goes back to the local mail sandbox and syncing stops. Mail already here stays."],
            yesText: L["Disconnect"],
            cancelText: L["Cancel"]);
        if (confirmed == true && await Connections.DisconnectAsync(Me.Id))
        {
            Snackbar.Add(L["Disconnected. Mail goes to the local mail sandbox again."], Severity.Info);
            await LoadAsync();
        }
    }

    private async Task SetAppendToSentFolderAsync(bool append)
    {
        await Connections.SetAppendToSentFolderAsync(Me.Id, append);
        await LoadAsync();
    }

    private string ProblemLine(string protocol, string host, int port, MailConnectionProblem? problem)
    {
        if (problem is null)
        {
            return L["{0} works.", protocol];
        }

        var text = MailProblemText.Describe(L, protocol, host, port, problem);
        return string.IsNullOrWhiteSpace(problem.Detail) ? text : $"{text} ({L["the server said"]}: {problem.Detail.Trim()})";
    }

    private string SecurityName(MailSecurity security) => SecuritySelect.Name(L, security);

    protected override async Task OnLiveEventAsync(UserPushEvent pushEvent)
    {
        if (pushEvent.Kind is UserPushKinds.Sync or LiveUpdates.Resync)
        {
            await LoadAsync();
            StateHasChanged();
        }
    }


    /// <summary>What the form holds while the user types.</summary>
    private sealed class MailboxForm
    {
        public string Provider { get; set; } = OtherProvider;
        public string EmailAddress { get; set; } = "";
        public string SmtpHost { get; set; } = "";
        public int SmtpPort { get; set; } = 587;
        public MailSecurity SmtpSecurity { get; set; } = MailSecurity.StartTls;
        public string SmtpUsername { get; set; } = "";
        public string SmtpPassword { get; set; } = "";
        public string ImapHost { get; set; } = "";
        public int ImapPort { get; set; } = 993;
        public MailSecurity ImapSecurity { get; set; } = MailSecurity.SslTls;
        public string ImapUsername { get; set; } = "";
        public string ImapPassword { get; set; } = "";
        public bool AppendToSentFolder { get; set; } = true;

        public MailboxSettings ToSettings() => new()
        {
            EmailAddress = EmailAddress.Trim(),
            SmtpHost = SmtpHost.Trim(),
            SmtpPort = SmtpPort,
            SmtpSecurity = SmtpSecurity,
            SmtpUsername = SmtpUsername,
            SmtpPassword = SmtpPassword,
            ImapHost = ImapHost.Trim(),
            ImapPort = ImapPort,
            ImapSecurity = ImapSecurity,
            ImapUsername = ImapUsername,
            ImapPassword = ImapPassword,
            AppendToSentFolder = AppendToSentFolder,
        };
    }
}
