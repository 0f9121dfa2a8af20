using System.Net;
using MailTracker.Core.Accounts;
using MailTracker.Core.Contacts;
using MailTracker.Tests.Infrastructure;

namespace MailTracker.Tests.Operations;

/// <summary>
/// A record's page that is missing or another user's answers HTTP 404 with the not-found page — the same answer for
/// both, so an address reveals nothing — on a first load and on a reload.
/// </summary>
public sealed class NotFoundStatusTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    [Fact]
    public async Task AnotherUsersMessagePersonAndDealAnswer404LikeMissingOnes()
    {
        var alice = await app.CreateUserAsync("alice@notfound.test", name: "Alice", role: Roles.User);
        await app.CreateUserAsync("bruno@notfound.test", name: "Bruno", role: Roles.User);
        var sent = await TestMail.SendAsync(app, alice, subject: "Alice private offer");
        var person = (await app.Service<ContactBook>().AddAsync(alice.Id, new PersonInput { Name = "Private Petra", Email = "petra@acme.example" })).Id!.Value;
        var deal = (await app.Service<DealPipeline>().AddAsync(alice.Id, new DealInput { Title = "Private deal", Currency = "EUR" })).Id!.Value;
        var (asAlice, _) = await TestMail.SignInAsync(app, "alice@notfound.test");
        var (asBruno, _) = await TestMail.SignInAsync(app, "bruno@notfound.test");

        foreach (var (theirs, missing, secret) in new[]
                 {
                     ($"/mail/{sent.MessageId}", $"/mail/{sent.MessageId + 1000}", "Alice private offer"),
                     ($"/contacts/{person}", $"/contacts/{person + 1000}", "Private Petra"),
                     ($"/deals/{deal}", $"/deals/{deal + 1000}", "Private deal"),
                 })
        {
            var own = await asAlice.GetAsync(theirs);
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            Assert.Contains(secret, await own.Content.ReadAsStringAsync());

            for (var load = 1; load <= 2; load++)
            {
                var notYours = await asBruno.GetAsync(theirs);
                var absent = await asBruno.GetAsync(missing);
                Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (notYours.StatusCode, absent.StatusCode));
                var notYoursPage = await notYours.Content.ReadAsStringAsync();
                Assert.Contains("There is nothing at this address.", notYoursPage);
                Assert.Contains("There is nothing at this address.", await absent.Content.ReadAsStringAsync());
                Assert.DoesNotContain(secret, notYoursPage);
                Assert.Equal(NotFoundText(notYoursPage), NotFoundText(await absent.Content.ReadAsStringAsync()));
            }
        }
    }

    [Fact]
    public async Task AnAddressWithNoPageAnswers404WithTheNotFoundPage()
    {
        await app.CreateUserAsync("carla@notfound.test", name: "Carla", role: Roles.User);
        var (asCarla, _) = await TestMail.SignInAsync(app, "carla@notfound.test");

        var response = await asCarla.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is nothing at this address.", await response.Content.ReadAsStringAsync());
    }

    // The visible words of the page, without the per-request tokens (antiforgery, circuit state, nonces).
    private static string NotFoundText(string html)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(html, "<[^>]*>|<!--.*?-->", " ", System.Text.RegularExpressions.RegexOptions.Singleline);
        return System.Text.RegularExpressions.Regex.Replace(text, "\\s+", " ").Trim();
    }
}
