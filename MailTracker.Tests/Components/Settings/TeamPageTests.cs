using AngleSharp.Dom;
using Bunit;
using MailTracker.Core.Accounts;
using MailTracker.Core.Notifications;
using MailTracker.Tests.Infrastructure;
using MailTracker.Web.Components.Pages.Settings;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MailTracker.Tests.Components.Settings;

public sealed class TeamPageTests : AccountsTestBase
{
    private static readonly DateTime Yesterday = new(2026, 11, 26, 9, 30, 0, DateTimeKind.Utc);

    [Fact]
    public async Task ListsEveryoneWithRoleLastSignInAndStatus()
    {
        var anna = await AddPersonAsync("Anna", "anna@team.test", Roles.Admin);
        await AddPersonAsync("Bob", "bob@team.test", lastSignIn: Yesterday);
        await AddPersonAsync("Cara", "cara@team.test", active: false);
        SignInAs(anna, "anna@team.test", Roles.Admin);

        var cut = Render<TeamPage>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("tbody tr").Count));
        Assert.Equal(["Anna (you)", "anna@team.test", "Admin", "Never", "Active"], Cells(Row(cut, "anna@team.test")));
        Assert.Equal(["Bob", "bob@team.test", "User", "26 Nov 2026, 09:30", "Active"], Cells(Row(cut, "bob@team.test")));
        Assert.Equal(["Cara", "cara@team.test", "User", "Never", "Deactivated"], Cells(Row(cut, "cara@team.test")));
        Assert.NotNull(Button(Row(cut, "cara@team.test"), "Reactivate"));
        Assert.Null(Button(Row(cut, "cara@team.test"), "Deactivate"));
        Assert.NotNull(Button(Row(cut, "bob@team.test"), "Make admin"));
    }

    [Fact]
    public async Task TheLastActiveAdminCanBeNeitherDeactivatedNorDemotedFromThePage()
    {
        var anna = await AddPersonAsync("Anna", "anna@team.test", Roles.Admin);
        await AddPersonAsync("Dirk", "dirk@team.test", Roles.Admin, active: false);
        SignInAs(anna, "anna@team.test", Roles.Admin);

        var cut = Render<TeamPage>();

        var row = cut.WaitForElement("tr[data-email='anna@team.test']");
        Assert.True(Button(row, "Deactivate")!.HasAttribute("disabled"));
        Assert.True(Button(row, "Make user")!.HasAttribute("disabled"));
        Assert.Contains("Anna is the only active admin, so they can't be deactivated or made a User.", cut.Find(".team-last-admin").TextContent);
        // A deactivated admin is no stand-in; reactivating them lifts the guard.
        await ClickAsync(Button(Row(cut, "dirk@team.test"), "Reactivate")!);
        cut.WaitForAssertion(() => Assert.False(Button(Row(cut, "anna@team.test"), "Deactivate")!.HasAttribute("disabled")));
        Assert.Empty(cut.FindAll(".team-last-admin"));
    }

    [Fact]
    public async Task TheGuardHoldsInCoreWhenThePageIsOutOfDate()
    {
        var anna = await AddPersonAsync("Anna", "anna@team.test", Roles.Admin);
        var erik = await AddPersonAsync("Erik", "erik@team.test", Roles.Admin);
        SignInAs(anna, "anna@team.test", Roles.Admin);
        var dialogs = Render<MudDialogProvider>();
        var snackbars = Render<MudSnackbarProvider>();
        var cut = Render<TeamPage>();
        var demote = cut.WaitForElement("tr[data-email='anna@team.test']").QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Make user");
        Assert.False(demote.HasAttribute("disabled"));

        // Meanwhile Erik is made a User elsewhere: Anna is now the last admin, but this page does not know.
        Assert.Equal(TeamChange.Done, await Services.GetRequiredService<TeamMembers>().ChangeRoleAsync(anna, erik, Roles.User));
        var clicking = ClickAsync(demote);
        await ClickAsync(DialogButton(dialogs, "Make user"));
        await clicking;

        snackbars.WaitForAssertion(() => Assert.Contains("The last active admin can't be deactivated or made a User.", snackbars.Markup));
        Assert.Equal(Roles.Admin, await RoleOfAsync(anna));
        cut.WaitForAssertion(() => Assert.True(Button(Row(cut, "anna@team.test"), "Make user")!.HasAttribute("disabled")));
    }

    [Fact]
    public async Task AddUserSaysWhatIsMissing()
    {
        var anna = await AddPersonAsync("Anna", "anna@team.test", Roles.Admin);
        SignInAs(anna, "anna@team.test", Roles.Admin);
        var cut = Render<TeamPage>();

        await ClickAsync(PageButton(cut, "Add user"));
        await ClickAsync(PageButton(cut, "Create user"));

        cut.WaitForAssertion(() => Assert.Equal("Enter a name.", ErrorOf(cut, "Name")));
        Assert.Equal("Enter a valid email address.", ErrorOf(cut, "Email"));
        Assert.Equal("Choose a password.", ErrorOf(cut, "Password"));
        Assert.Single(cut.FindAll("tbody tr"));
    }

    [Fact]
    public async Task AddUserShowsIdentitysReasonsBesideTheFields()
    {
        var anna = await AddPersonAsync("Anna", "anna@team.test", Roles.Admin);
        SignInAs(anna, "anna@team.test", Roles.Admin);
        var cut = Render<TeamPage>();
        await ClickAsync(PageButton(cut, "Add user"));
        await TypeAsync(cut, "Name", "Fiona");
        await TypeAsync(cut, "Email", "anna@team.test");
        await TypeAsync(cut, "Password", "short");

        await ClickAsync(PageButton(cut, "Create user"));

        cut.WaitForAssertion(() => Assert.Contains("The password is too short: use at least 8 characters.", ErrorOf(cut, "Password")));
        Assert.Null(ErrorOf(cut, "Email"));

        await TypeAsync(cut, "Password", TestUsers.Password);
        await ClickAsync(PageButton(cut, "Create user"));

        cut.WaitForAssertion(() => Assert.Equal("An account with this email address already exists.", ErrorOf(cut, "Email")));
        Assert.Null(ErrorOf(cut, "Password"));
        Assert.Single(cut.FindAll("tbody tr"));
    }

    [Fact]
    public async Task CreatingAUserListsThemWithTheChosenRoleAndAMailbox()
    {
        var anna = await AddPersonAsync("Anna", "anna@team.test", Roles.Admin);
        SignInAs(anna, "anna@team.test", Roles.Admin);
        var popovers = Render<MudPopoverProvider>();
        var cut = Render<TeamPage>();
        await ClickAsync(PageButton(cut, "Add user"));
        await TypeAsync(cut, "Name", "Gus");
        await TypeAsync(cut, "Email", "gus@team.test");
        await TypeAsync(cut, "Password", TestUsers.Password);
        await cut.Find("[role=combobox]").MouseDownAsync(new());
        await popovers.WaitForElements("[role=option]").Single(o => o.TextContent.Trim() == "Admin").ClickAsync(new());

        await ClickAsync(PageButton(cut, "Create user"));

        cut.WaitForAssertion(() => Assert.Equal(["Gus", "gus@team.test", "Admin", "Never", "Active"], Cells(Row(cut, "gus@team.test"))));
        Assert.NotNull(PageButton(cut, "Add user"));
        Assert.Empty(cut.FindAll(".add-user"));
        await using var db = await Db();
        var gus = await db.Users.SingleAsync(u => u.Email == "gus@team.test");
        Assert.Equal(Roles.Admin, await RoleOfAsync(gus.Id));
        Assert.True(await db.MailAccounts.AnyAsync(a => a.OwnerId == gus.Id && a.IsSandbox));
    }

    [Fact]
    public async Task DeactivatingAsksFirstThenShowsThePersonDeactivatedAndTellsTheirPages()
    {
        var anna = await AddPersonAsync("Anna", "anna@team.test", Roles.Admin);
        var hal = await AddPersonAsync("Hal", "hal@team.test");
        SignInAs(anna, "anna@team.test", Roles.Admin);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<TeamPage>();

        var cancelled = ClickAsync(Button(cut.WaitForElement("tr[data-email='hal@team.test']"), "Deactivate")!);
        Assert.Contains("Hal will be signed out and can no longer sign in. Their mail and history stay", dialogs.WaitForElement(".mud-dialog").TextContent);
        await ClickAsync(DialogButton(dialogs, "Cancel"));
        await cancelled;
        Assert.True((await StoredAsync(hal)).IsActive);

        var confirmed = ClickAsync(Button(Row(cut, "hal@team.test"), "Deactivate")!);
        await ClickAsync(DialogButton(dialogs, "Deactivate"));
        await confirmed;

        cut.WaitForAssertion(() => Assert.Equal("Deactivated", Cells(Row(cut, "hal@team.test"))[4]));
        Assert.NotNull(Button(Row(cut, "hal@team.test"), "Reactivate"));
        Assert.False((await StoredAsync(hal)).IsActive);
        Assert.Contains(Pushes.Sent, p => p.UserId == hal && p.Event.Kind == UserPushKinds.AccountChanged);
    }

    private static IElement Row(IRenderedComponent<TeamPage> cut, string email) => cut.Find($"tr[data-email='{email}']");

    private static string[] Cells(IElement row) =>
        row.QuerySelectorAll("td").Take(5).Select(td => string.Join(' ', td.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToArray();

    private static IElement? Button(IElement scope, string text) =>
        scope.QuerySelectorAll("button").SingleOrDefault(b => b.TextContent.Trim() == text);

    private static IElement PageButton(IRenderedComponent<TeamPage> cut, string text) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text);

    private static IElement DialogButton(IRenderedComponent<MudDialogProvider> dialogs, string text)
    {
        dialogs.WaitForElement(".mud-dialog");
        return dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == text);
    }

    private static Task ClickAsync(IElement element) => element.ClickAsync(new());

    private static IElement Control(IRenderedComponent<TeamPage> cut, string label) =>
        cut.FindAll(".add-user .mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim() == label);

    private static Task TypeAsync(IRenderedComponent<TeamPage> cut, string label, string value) =>
        Control(cut, label).QuerySelector("input")!.InputAsync(new() { Value = value });

    private static string? ErrorOf(IRenderedComponent<TeamPage> cut, string label) =>
        Control(cut, label).QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() is { Length: > 0 } text ? text : null;

    private async Task<string> RoleOfAsync(string userId)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return Assert.Single(await users.GetRolesAsync((await users.FindByIdAsync(userId))!));
    }
}
