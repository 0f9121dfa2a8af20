using System.Globalization;
using MailTracker.Core.Accounts;
using MailTracker.Web.Components.Account;
using MailTracker.Web.Endpoints;
using MailTracker.Web.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.JSInterop;
using MudBlazor;

namespace MailTracker.Web.Components.Pages.Settings;

/// <summary>Settings › Personal › Profile: name, language, time zone, which hits ring the bell (<see cref="NotificationRulesForm"/>), and the password.</summary>
public sealed partial class ProfilePage : IAsyncDisposable
{
    [Inject]
    private UserProfiles Profiles { get; set; } = default!;

    [Inject]
    private CurrentUser Me { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private AntiforgeryStateProvider Antiforgery { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private ProfileSettings? _profile;
    private IReadOnlyList<TimeZoneChoice> _zones = [];
    private string _name = "";
    private string _culture = SupportedCultures.Default;
    private string? _nameError;
    private string _currentPassword = "";
    private string _newPassword = "";
    private string? _currentPasswordError;
    private string? _newPasswordError;
    private string? _passwordError;
    private bool _busy;
    private IJSObjectReference? _module;

    [SupplyParameterFromQuery(Name = "password")]
    public string? PasswordStatus { get; set; }

    protected override async Task OnInitializedAsync()
    {
        await Me.LoadAsync();
        _zones = TimeZoneChoices.List(Time.GetUtcNow());
        _profile = await Profiles.GetAsync(Me.Id);
        _name = _profile?.Name ?? "";
        _culture = SupportedCultures.Normalise(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName);
    }

    private static string CultureFormId(string code) => $"profile-culture-{code}";

    private async Task SaveNameAsync()
    {
        _nameError = string.IsNullOrWhiteSpace(_name) ? L["Enter your name."].Value : null;
        if (_nameError is null)
        {
            await SaveAsync(_profile! with { Name = _name }, L["Name saved."]);
        }
    }

    private Task SetTimeZoneAsync(string zone) => SaveAsync(_profile! with { TimeZoneId = zone }, L["Time zone saved."]);

    private async Task SaveAsync(ProfileSettings changed, string done)
    {
        _busy = true;
        try
        {
            var error = await Profiles.SaveAsync(Me.Id, new ProfileUpdate(changed.Name, changed.TimeZoneId));
            switch (error)
            {
                case ProfileError.None:
                    _profile = changed with { Name = changed.Name.Trim() };
                    // This circuit shows times in the new zone from now on; other tabs on their next load.
                    await Me.LoadAsync(refresh: true);
                    Snackbar.Add(done, Severity.Success);
                    break;
                case ProfileError.NameRequired:
                    _nameError = L["Enter your name."];
                    break;
                case ProfileError.NameTooLong:
                    _nameError = L["Use at most {0} characters.", UserProfiles.MaxNameLength];
                    break;
                case ProfileError.UnknownTimeZone:
                    Snackbar.Add(L["Choose a time zone from the list."], Severity.Error);
                    break;
                case ProfileError.NotFound:
                    Snackbar.Add(L["Your account no longer exists."], Severity.Error);
                    break;
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SetLanguageAsync(string code)
    {
        _culture = SupportedCultures.Normalise(code);
        await JS.InvokeVoidAsync("mailTracker.submitForm", CultureFormId(_culture));
    }

    private async Task ChangePasswordAsync()
    {
        _currentPasswordError = string.IsNullOrEmpty(_currentPassword) ? L["Enter your current password."].Value : null;
        _newPasswordError = string.IsNullOrEmpty(_newPassword) ? L["Choose a new password."].Value : null;
        _passwordError = null;
        if (_currentPasswordError is not null || _newPasswordError is not null)
        {
            return;
        }

        var token = Antiforgery.GetAntiforgeryToken();
        if (token is null)
        {
            _passwordError = L["Something went wrong. Reload the page and try again."];
            return;
        }

        _busy = true;
        string[] errors;
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/profile.js");
            errors = await _module.InvokeAsync<string[]>("changePassword", AccountEndpoints.PasswordPath, token.FormFieldName, token.Value, _currentPassword, _newPassword);
        }
        finally
        {
            _busy = false;
        }

        if (errors.Length == 0)
        {
            // A fresh page, so the circuit runs with the renewed sign-in.
            Navigation.NavigateTo("settings/profile?password=changed", forceLoad: true);
            return;
        }

        ShowPasswordErrors(errors);
    }

    private void ShowPasswordErrors(IEnumerable<string> codes)
    {
        foreach (var code in codes)
        {
            if (code == "Failed")
            {
                _passwordError = L["Something went wrong. Reload the page and try again."];
                continue;
            }

            var text = IdentityErrorText.Describe(new Microsoft.AspNetCore.Identity.IdentityError { Code = code, Description = L["The password was not accepted."] }, L);
            if (code == nameof(Microsoft.AspNetCore.Identity.IdentityErrorDescriber.PasswordMismatch))
            {
                _currentPasswordError = text;
            }
            else if (code.StartsWith("Password", StringComparison.Ordinal))
            {
                _newPasswordError = _newPasswordError is null ? text : $"{_newPasswordError} {text}";
            }
            else
            {
                _passwordError = _passwordError is null ? text : $"{_passwordError} {text}";
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The browser is gone, and the module with it.
            }
        }
    }
}
