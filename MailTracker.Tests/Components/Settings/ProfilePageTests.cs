using AngleSharp.Dom;
using Bunit;
using Bunit.TestDoubles;
using MailTracker.Core.Accounts;
using MailTracker.Tests.Infrastructure;
using MailTracker.Web;
using MailTracker.Web.Components.Pages.Settings;
using MailTracker.Web.Endpoints;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MailTracker.Tests.Components.Settings;

public sealed class ProfilePageTests : AccountsTestBase
{
    [Fact]
    public async Task ShowsTheUsersOwnNameTimeZoneLanguageAndBellChoices()
    {
        var id = await SignInPersonAsync();

        var cut = Render<ProfilePage>();

        cut.WaitForAssertion(() => Assert.Equal("Ida", Input(cut, "Name").GetAttribute("value")));
        Assert.Contains("Signed in as ida@profile.test.", cut.Markup);
        Assert.Equal("(UTC+00:00) UTC", Input(cut, "Time zone").GetAttribute("value"));
        Assert.Equal("English", Input(cut, "Language").GetAttribute("value"));
        Assert.True(Switch(cut, "Ring the bell when a message is opened").HasAttribute("checked"));
        Assert.True(Switch(cut, "Ring the bell when a link is clicked").HasAttribute("checked"));
        Assert.Equal("Ida", (await StoredAsync(id)).DisplayName);
    }

    [Fact]
    public async Task SavingTheNameKeepsItAndABlankNameIsRefused()
    {
        var id = await SignInPersonAsync();
        var cut = Render<ProfilePage>();

        await Input(cut, "Name").InputAsync(new() { Value = "  " });
        await Button(cut, "Save").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("Enter your name.", Control(cut, "Name").TextContent));
        Assert.Equal("Ida", (await StoredAsync(id)).DisplayName);

        await Input(cut, "Name").InputAsync(new() { Value = "Ida Nowak" });
        await Button(cut, "Save").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.DoesNotContain("Enter your name.", Control(cut, "Name").TextContent));
        Assert.Equal("Ida Nowak", (await StoredAsync(id)).DisplayName);
    }

    [Fact]
    public async Task AChosenTimeZoneIsSavedAndEveryTimeFollowsIt()
    {
        var id = await SignInPersonAsync();
        var popovers = Render<MudPopoverProvider>();
        var cut = Render<ProfilePage>();

        await Control(cut, "Time zone").QuerySelector("[role=combobox]")!.MouseDownAsync(new());
        await popovers.WaitForElements("[role=option]").Single(o => o.TextContent.Contains("Europe/Warsaw")).ClickAsync(new());

        await Eventually.TrueAsync(async () => (await StoredAsync(id)).TimeZoneId == "Europe/Warsaw", "the time zone to be saved");
        var me = Services.GetRequiredService<CurrentUser>();
        Assert.Equal("27 Nov 2026, 11:02", me.FormatDateTime(new DateTime(2026, 11, 27, 10, 2, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public async Task TheBellSwitchesChooseWhichEventsRing()
    {
        var id = await SignInPersonAsync();
        var cut = Render<ProfilePage>();

        await Switch(cut, "Ring the bell when a link is clicked").ChangeAsync(new() { Value = false });

        await Eventually.TrueAsync(async () => !(await StoredAsync(id)).NotifyOnClick, "clicks to stop ringing");
        Assert.True((await StoredAsync(id)).NotifyOnOpen);
        await Switch(cut, "Ring the bell when a message is opened").ChangeAsync(new() { Value = false });
        await Eventually.TrueAsync(async () => !(await StoredAsync(id)).NotifyOnOpen, "opens to stop ringing");
    }

    [Fact]
    public async Task TheNotificationRulesAreSavedAsTheyAreChanged()
    {
        var id = await SignInPersonAsync();
        var rules = Services.GetRequiredService<MailTracker.Core.Notifications.NotificationRules>();
        var cut = Render<ProfilePage>();
        cut.WaitForAssertion(() => Assert.True(Switch(cut, "Ring the bell when someone replies").HasAttribute("checked")));
        Assert.False(Switch(cut, "Only the first click of each message").HasAttribute("checked"));
        Assert.False(Switch(cut, "Ring for Apple Mail Privacy Protection opens").HasAttribute("checked"));
        Assert.Equal("0", Input(cut, "Hours before a reopen rings again").GetAttribute("value"));
        Assert.True(Input(cut, "Quiet from").HasAttribute("disabled"));

        await Switch(cut, "Only the first click of each message").ChangeAsync(new() { Value = true });
        await Switch(cut, "Ring the bell when someone replies").ChangeAsync(new() { Value = false });
        await Switch(cut, "Ring for Apple Mail Privacy Protection opens").ChangeAsync(new() { Value = true });
        await Input(cut, "Hours before a reopen rings again").ChangeAsync(new() { Value = "3" });
        await Switch(cut, "Quiet hours").ChangeAsync(new() { Value = true });
        cut.WaitForAssertion(() => Assert.False(Input(cut, "Quiet from").HasAttribute("disabled")));
        await Input(cut, "Quiet from").ChangeAsync(new() { Value = "21:30" });
        await Input(cut, "Quiet until").ChangeAsync(new() { Value = "06:45" });

        await Eventually.TrueAsync(async () => (await rules.GetAsync(id))!.QuietUntil == new TimeOnly(6, 45), "the quiet hours to be saved");
        Assert.Equal(
            new MailTracker.Core.Notifications.BellPreferences(FirstOpen: true, Reopens: true, ReopenAfterHours: 3, Clicks: true, FirstClickOnly: true, Replies: false,
                ApplePrivacyOpens: true, QuietHours: true, QuietFrom: new TimeOnly(21, 30), QuietUntil: new TimeOnly(6, 45)),
            await rules.GetAsync(id));
        Assert.Contains("In your time zone (UTC).", cut.Markup);
    }

    [Fact]
    public async Task ARuleThatRefinesAnotherIsDisabledWhileThatOneIsOff()
    {
        await SignInPersonAsync();
        var cut = Render<ProfilePage>();
        cut.WaitForAssertion(() => Assert.False(Switch(cut, "Only the first click of each message").HasAttribute("disabled")));

        await Switch(cut, "Ring the bell when a link is clicked").ChangeAsync(new() { Value = false });
        await Switch(cut, "Ring the bell when a message is opened").ChangeAsync(new() { Value = false });

        cut.WaitForAssertion(() => Assert.True(Switch(cut, "Only the first click of each message").HasAttribute("disabled")));
        Assert.True(Switch(cut, "Ring again when it is reopened").HasAttribute("disabled"));
        Assert.True(Input(cut, "Hours before a reopen rings again").HasAttribute("disabled"));
    }

    [Fact]
    public async Task AnOutOfRangeNumberOfHoursIsRefusedAndNothingIsSaved()
    {
        var id = await SignInPersonAsync();
        var rules = Services.GetRequiredService<MailTracker.Core.Notifications.NotificationRules>();
        var cut = Render<ProfilePage>();
        cut.WaitForAssertion(() => Assert.Equal("0", Input(cut, "Hours before a reopen rings again").GetAttribute("value")));

        Assert.Equal(MailTracker.Core.Notifications.BellPreferencesError.ReopenHoursOutOfRange,
            await rules.SaveAsync(id, new MailTracker.Core.Notifications.BellPreferences(ReopenAfterHours: 721)));
        Assert.Equal(0, (await rules.GetAsync(id))!.ReopenAfterHours);
    }

    [Fact]
    public async Task TheNotificationRulesSpeakPolish()
    {
        await SignInPersonAsync();
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("pl");
        try
        {
            var cut = Render<ProfilePage>();

            cut.WaitForAssertion(() => Assert.False(Switch(cut, "Godziny ciszy").HasAttribute("checked")));
            Assert.True(Switch(cut, "Powiadamiaj dzwonkiem o odpowiedzi").HasAttribute("checked"));
            Assert.False(Switch(cut, "Tylko o pierwszym kliknięciu w każdej wiadomości").HasAttribute("checked"));
            Assert.Contains("W godzinach ciszy powiadomienia zbierają się po cichu", cut.Markup);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = culture;
        }
    }

    [Fact]
    public async Task ChoosingALanguagePostsItForAFreshPage()
    {
        await SignInPersonAsync();
        var popovers = Render<MudPopoverProvider>();
        var cut = Render<ProfilePage>();

        await Control(cut, "Language").QuerySelector("[role=combobox]")!.MouseDownAsync(new());
        await popovers.WaitForElements("[role=option]").Single(o => o.TextContent.Trim() == "Polski").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains(JSInterop.Invocations, i => i.Identifier == "mailTracker.submitForm" && (string?)i.Arguments[0] == "profile-culture-pl"));
        var form = cut.Find("form#profile-culture-pl");
        Assert.Equal("preferences/culture", form.GetAttribute("action"));
        Assert.Equal("/settings/profile", form.QuerySelector("input[name=returnUrl]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task ChangingThePasswordNeedsBothFields()
    {
        await SignInPersonAsync();
        var module = JSInterop.SetupModule("./js/profile.js");
        var cut = Render<ProfilePage>();

        await Button(cut, "Change password").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("Enter your current password.", Control(cut, "Current password").TextContent));
        Assert.Contains("Choose a new password.", Control(cut, "New password").TextContent);
        Assert.Empty(module.Invocations);
    }

    [Fact]
    public async Task APasswordChangeShowsTheServersReasonsBesideTheFields()
    {
        await SignInPersonAsync();
        var module = JSInterop.SetupModule("./js/profile.js");
        module.Setup<string[]>("changePassword", _ => true).SetResult(["PasswordMismatch"]);
        var cut = Render<ProfilePage>();
        await Input(cut, "Current password").InputAsync(new() { Value = "not-mine" });
        await Input(cut, "New password").InputAsync(new() { Value = "N3w-passw0rd" });

        await Button(cut, "Change password").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("The current password is not right.", Control(cut, "Current password").TextContent));
        var call = Assert.Single(module.Invocations);
        Assert.Equal([AccountEndpoints.PasswordPath, "__RequestVerificationToken", "test-token", "not-mine", "N3w-passw0rd"], call.Arguments.Cast<string>());
    }

    [Fact]
    public async Task AnAcceptedPasswordChangeReloadsTheProfileToSayItWorked()
    {
        await SignInPersonAsync();
        var module = JSInterop.SetupModule("./js/profile.js");
        module.Setup<string[]>("changePassword", _ => true).SetResult([]);
        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        var cut = Render<ProfilePage>();
        await Input(cut, "Current password").InputAsync(new() { Value = TestUsers.Password });
        await Input(cut, "New password").InputAsync(new() { Value = "N3w-passw0rd" });

        await Button(cut, "Change password").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("http://localhost/settings/profile?password=changed", navigation.Uri));
        Assert.True(navigation.History.First().Options.ForceLoad);
        var reloaded = Render<ProfilePage>();
        reloaded.WaitForAssertion(() => Assert.Contains("Your password was changed. Any other sessions were signed out.", reloaded.Markup));
    }

    private async Task<string> SignInPersonAsync()
    {
        var id = await AddPersonAsync("Ida", "ida@profile.test");
        SignInAs(id, "ida@profile.test", Roles.User);
        return id;
    }

    private static IElement Control(IRenderedComponent<ProfilePage> cut, string label) =>
        cut.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim() == label);

    private static IElement Input(IRenderedComponent<ProfilePage> cut, string label) => Control(cut, label).QuerySelector("input")!;

    private static IElement Switch(IRenderedComponent<ProfilePage> cut, string label) =>
        cut.FindAll("label").Single(l => l.TextContent.Trim() == label).QuerySelector("input[type=checkbox]")!;

    private static IElement Button(IRenderedComponent<ProfilePage> cut, string text) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text);
}
