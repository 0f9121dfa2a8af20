using MailTracker.Core.Accounts;
using MailTracker.Core.Accounts.OAuth;
using MailTracker.Web.Endpoints;
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

    [Inject]
    private MailboxOAuthProviders Providers { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    /// <summary>How a Connect ‹provider› round trip ended: <c>connected</c> or an <see cref="OAuthConnectFailure"/>.</summary>
    [SupplyParameterFromQuery(Name = "oauth")]
    public string? OAuthOutcome { get; set; }

    [SupplyParameterFromQuery(Name = "provider")]
    public string? OAuthProviderKey { get; set; }

    [SupplyParameterFromQuery(Name = "smtp")]
    public string? SmtpProblem { get; set; }

    [SupplyParameterFromQuery(Name = "imap")]
    public string? ImapProblem { get; set; }

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

    // A full page load: the endpoint answers with a redirect to the provider, outside the circuit.
    private void StartOAuth(string provider) => Navigation.NavigateTo(MailboxOAuthEndpoints.StartUrl(provider), forceLoad: true);

    private Task ReconnectAsync()
    {
        if (_view?.OAuthProvider is { } provider)
        {
            Navigation.NavigateTo($"{MailboxOAuthEndpoints.StartUrl(provider)}?loginHint={Uri.EscapeDataString(_view.EmailAddress)}", forceLoad: true);
        }

        return Task.CompletedTask;
    }

    private string OAuthOutcomeText()
    {
        if (OAuthOutcome == "connected")
        {
            var name = Providers.Find(OAuthProviderKey)?.DisplayName ?? OAuthProviderKey ?? "";
            return L["Connected with {0}. The first sync has started.", name];
        }

        var text = Enum.TryParse<OAuthConnectFailure>(OAuthOutcome, out var failure) ? failure switch
        {
            OAuthConnectFailure.Denied => L["Nothing was connected: access was not granted at the provider."],
            OAuthConnectFailure.InvalidState => L["Nothing was connected: the answer from the provider did not match a request from this browser, or came too late. Try again."],
            OAuthConnectFailure.TokenExchange => L["Nothing was connected: the provider did not issue tokens for this sign-in. Try again."],
            OAuthConnectFailure.Incomplete => L["Nothing was connected: the provider gave no lasting access or no email address. Check the app registration's scopes."],
            _ => L["Nothing was saved: the connection test failed."],
        } : L["Nothing was saved: the connection test failed."];
        var problems = new[] { ("SMTP", SmtpProblem), ("IMAP", ImapProblem) }
            .Where(p => Enum.TryParse<MailConnectionProblemKind>(p.Item2, out _))
            .Select(p => MailProblemText.Describe(L, p.Item1, "", 0, new MailConnectionProblem(Enum.Parse<MailConnectionProblemKind>(p.Item2!), "")));
        return string.Join(" ", new[] { text.Value }.Concat(problems));
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
