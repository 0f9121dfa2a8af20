using System.Globalization;
using MailTracker.Core.Notifications;
using MailTracker.Core.Webhooks;
using MailTracker.Web.Live;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MailTracker.Web.Components.Pages.Settings;

/// <summary>Settings › Integrations (admins): webhook endpoints, their once-shown secrets and their delivery logs.</summary>
public sealed partial class IntegrationsPage
{
    [Inject]
    private WebhookEndpoints Endpoints { get; set; } = default!;

    [Inject]
    private CurrentUser Me { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private IReadOnlyList<WebhookEndpointView>? _endpoints;
    private readonly Dictionary<int, IReadOnlyList<WebhookDeliveryView>> _logs = [];
    private EndpointForm? _editing;
    private string? _error;
    private string? _secret;
    private bool _denied;
    private bool _busy;

    private sealed class EndpointForm
    {
        public int? Id { get; init; }

        public string? Url { get; set; }

        public WebhookEvents Events { get; set; }

        public bool AllHits { get; set; }

        public bool Enabled { get; set; } = true;
    }

    protected override async Task OnInitializedAsync()
    {
        await Me.LoadAsync();
        await LoadAsync();
    }

    protected override async Task OnLiveEventAsync(UserPushEvent pushEvent)
    {
        if (pushEvent.Kind is UserPushKinds.Integrations or LiveUpdates.Resync)
        {
            await LoadAsync();
            StateHasChanged();
        }
    }

    private async Task LoadAsync()
    {
        _endpoints = await Endpoints.ListAsync(Me.Id);
        _denied = _endpoints is null;
        _logs.Clear();
        foreach (var e in _endpoints ?? [])
        {
            _logs[e.Id] = await Endpoints.DeliveriesAsync(Me.Id, e.Id) ?? [];
        }
    }

    private void Edit(WebhookEndpointView e)
    {
        _error = null;
        _editing = new EndpointForm { Id = e.Id, Url = e.Url, Events = e.Events, AllHits = e.AllHits, Enabled = e.Enabled };
    }

    private async Task SaveAsync()
    {
        var form = _editing!;
        _busy = true;
        try
        {
            var result = form.Id is { } id
                ? await Endpoints.UpdateAsync(Me.Id, id, form.Url ?? "", form.Events, form.AllHits, form.Enabled)
                : await Endpoints.AddAsync(Me.Id, form.Url ?? "", form.Events, form.AllHits);
            if (!result.Succeeded)
            {
                _error = ErrorText(result.Error);
                return;
            }

            _error = null;
            _editing = null;
            _secret = result.Secret;
            Snackbar.Add(form.Id is null ? L["The endpoint is added. Events go to it from now on."] : L["The endpoint is saved."], Severity.Success);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RotateAsync(WebhookEndpointView e)
    {
        if (await Dialogs.ShowMessageBoxAsync(L["Rotate the signing secret?"], L["The current secret stops working at once: update your receiver with the new one."], yesText: L["Rotate secret"], cancelText: L["Cancel"]) != true)
        {
            return;
        }

        var result = await Endpoints.RotateSecretAsync(Me.Id, e.Id);
        if (result.Succeeded)
        {
            _secret = result.Secret;
        }
        else
        {
            Snackbar.Add(ErrorText(result.Error), Severity.Error);
        }

        await LoadAsync();
    }

    private async Task SwitchAsync(WebhookEndpointView e, bool on)
    {
        var result = await Endpoints.UpdateAsync(Me.Id, e.Id, e.Url, e.Events, e.AllHits, on);
        if (!result.Succeeded)
        {
            Snackbar.Add(ErrorText(result.Error), Severity.Error);
        }

        await LoadAsync();
    }

    private async Task DeleteAsync(WebhookEndpointView e)
    {
        if (await Dialogs.ShowMessageBoxAsync(L["Delete {0}?", e.Url], L["Its queued deliveries and its delivery log are deleted too."], yesText: L["Delete"], cancelText: L["Cancel"]) != true)
        {
            return;
        }

        if (!await Endpoints.DeleteAsync(Me.Id, e.Id))
        {
            Snackbar.Add(L["This endpoint no longer exists."], Severity.Warning);
        }

        await LoadAsync();
    }

    private async Task RedeliverAsync(WebhookDeliveryView d)
    {
        if (await Endpoints.RedeliverAsync(Me.Id, d.Id))
        {
            Snackbar.Add(L["Queued to be sent again."], Severity.Success);
        }
        else
        {
            Snackbar.Add(L["This delivery no longer exists."], Severity.Warning);
        }

        await LoadAsync();
    }

    private string StateClass(WebhookEndpointView e) => e.Enabled ? (e.FailingSince is null ? "on" : "failing") : e.DisabledAt is null ? "off" : "disabled";

    private string StateText(WebhookEndpointView e) =>
        e.Enabled
            ? e.FailingSince is { } since ? L["Failing since {0}", Me.FormatDateTime(since)] : L["Active"]
            : e.DisabledAt is { } at ? L["Disabled on {0} after failing for a day", Me.FormatDateTime(at)] : L["Switched off"];

    private string DeliveryStatus(WebhookDeliveryView d) =>
        d.State == WebhookDeliveryState.Delivered
            ? L["Delivered ({0})", d.LastStatus?.ToString(CultureInfo.InvariantCulture) ?? "2xx"]
            : d.Attempts == 0 ? L["Not sent yet"] : L["Retrying at {0}", Me.FormatDateTime(d.NextAttemptAt)];

    private string ErrorText(WebhookError error) => error switch
    {
        WebhookError.UrlRequired => L["Enter the URL that receives the events."],
        WebhookError.UrlInvalid => L["Enter a full http:// or https:// URL, such as https://crm.example.com/hooks."],
        WebhookError.UrlHasCredentials => L["Leave the user name and password out of the URL: requests are signed with the secret instead."],
        WebhookError.UrlTooLong => L["The URL is too long (at most {0} characters).", WebhookEndpoint.MaxUrlLength],
        WebhookError.NoEvents => L["Choose at least one event."],
        _ => L["This endpoint no longer exists, or you are no longer an admin."],
    };
}
