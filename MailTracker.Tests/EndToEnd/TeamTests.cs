using System.Text.RegularExpressions;
using MailTracker.Core.Accounts;
using MailTracker.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailTracker.Tests.EndToEnd;

public sealed class TeamTests(MailTrackerApp app, BrowserFixture browser) : IClassFixture<MailTrackerApp>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnAdminAddsAUserAndEachWorksInAPrivateMailboxWithTheirOwnBell()
    {
        await app.CreateUserAsync("olga@e2e.test", name: "Olga");
        await using var olgaContext = await browser.NewContextAsync(app);
        var olga = new AppPages(await olgaContext.NewPageAsync());
        await olga.SignInAsync("olga@e2e.test");

        await olga.OpenTeamAsync();
        await olga.AddUserAsync("Piotr", "piotr@e2e.test", "Piotr-Passw0rd", "User");
        await Expect(olga.TeamRow("piotr@e2e.test")).ToContainTextAsync("User");

        // Piotr, on another computer, signs in with the password Olga handed over and sends tracked mail.
        await using var piotrContext = await browser.NewContextAsync(app);
        var piotr = new AppPages(await piotrContext.NewPageAsync());
        await piotr.SignInAsync("piotr@e2e.test", "Piotr-Passw0rd");
        await piotr.OpenMailAsync();
        await piotr.ComposeAndSendAsync("Quinn <quinn@example.com>", "Piotr offer", "Hello Quinn, here is the offer.");
        await olga.OpenMailAsync();
        await olga.ComposeAndSendAsync("Rosa <rosa@example.com>", "Olga plan", "Hello Rosa, here is the plan.");

        await piotr.OpenMailAsync("Sent");
        await Expect(piotr.MessageRow("Piotr offer")).ToBeVisibleAsync();
        await Expect(piotr.MessageRow("Olga plan")).ToHaveCountAsync(0);
        await olga.OpenMailAsync("Sent");
        await Expect(olga.MessageRow("Olga plan")).ToBeVisibleAsync();
        await Expect(olga.MessageRow("Piotr offer")).ToHaveCountAsync(0);

        // Piotr's mail is opened (the sandbox shows it as Quinn's mail client would): only Piotr's bell rings.
        var quinn = new AppPages(await piotrContext.NewPageAsync());
        await quinn.OpenInSandboxAsync("Piotr offer");
        await Expect(piotr.BellCount).ToHaveTextAsync("1");
        await Expect(piotr.MessageRow("Piotr offer").GetByRole(AriaRole.Img, new() { Name = "Opened", Exact = true })).ToBeVisibleAsync();
        await Expect(olga.BellCount).ToHaveCountAsync(0);

        // Nor can Olga reach it by address: the sandbox does not list it, and its id is "not found".
        var olgaSandbox = new AppPages(await olgaContext.NewPageAsync());
        await olgaSandbox.Page.GotoAsync("/sandbox");
        await olgaSandbox.WaitUntilInteractiveAsync();
        await Expect(olgaSandbox.Page.GetByRole(AriaRole.Link, new() { Name = "Olga plan" })).ToBeVisibleAsync();
        await Expect(olgaSandbox.Page.GetByRole(AriaRole.Link, new() { Name = "Piotr offer" })).ToHaveCountAsync(0);
        long piotrsMessage;
        await using (var db = await app.DbAsync())
        {
            piotrsMessage = await db.Messages.Where(m => m.Subject == "Piotr offer").Select(m => m.Id).SingleAsync();
        }

        await olgaSandbox.Page.GotoAsync($"/mail/{piotrsMessage}");
        await Expect(olgaSandbox.Page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await Expect(olga.BellCount).ToHaveCountAsync(0);

        // Deactivated, Piotr's open page goes to the sign-in page at once.
        await olga.OpenTeamAsync();
        await olga.DeactivateAsync("piotr@e2e.test");
        await Expect(piotr.Page).ToHaveURLAsync(new Regex("/Account/Login"));
    }

    [Fact]
    public async Task AUserChangesTheirPasswordAndLanguageOnTheProfile()
    {
        await app.CreateUserAsync("sara@e2e.test", name: "Sara", role: Roles.User);
        await using var context = await browser.NewContextAsync(app);
        var sara = new AppPages(await context.NewPageAsync());
        await sara.SignInAsync("sara@e2e.test");
        await sara.Page.GetByRole(AriaRole.Button, new() { Name = "Account menu" }).ClickAsync();
        await sara.Page.GetByRole(AriaRole.Menuitem, new() { Name = "Profile" }).ClickAsync();
        await Expect(sara.Page).ToHaveURLAsync(new Regex("/settings/profile$"));

        await sara.Page.GetByRole(AriaRole.Textbox, new() { Name = "Current password" }).FillAsync("wrong-one");
        await sara.Page.GetByRole(AriaRole.Textbox, new() { Name = "New password" }).FillAsync("Sara-N3w-pass");
        await sara.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(sara.Page.GetByText("The current password is not right.")).ToBeVisibleAsync();
        await sara.Page.GetByRole(AriaRole.Textbox, new() { Name = "Current password" }).FillAsync(TestUsers.Password);
        await sara.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(sara.Page.GetByText("Your password was changed.")).ToBeVisibleAsync();
        await sara.WaitUntilInteractiveAsync();

        await sara.Page.GetByRole(AriaRole.Combobox, new() { Name = "Language" }).ClickAsync();
        await sara.Page.GetByRole(AriaRole.Option, new() { Name = "Polski" }).ClickAsync();
        await Expect(sara.Page.GetByRole(AriaRole.Heading, new() { Name = "Profil", Level = 1 })).ToBeVisibleAsync();
        await sara.WaitUntilInteractiveAsync();
        await Expect(sara.Page.GetByRole(AriaRole.Combobox, new() { Name = "Język" })).ToHaveValueAsync("Polski");

        // The new password is the one that signs in now (and the session here survived the change).
        await TestMail.SignInAsync(app, "sara@e2e.test", "Sara-N3w-pass");
        await sara.OpenMailAsync();
        await Expect(sara.Page).ToHaveURLAsync(new Regex("/mail$"));
    }
}
