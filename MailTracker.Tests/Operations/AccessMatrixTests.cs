using System.Net;
using System.Reflection;
using MailTracker.Core.Accounts;
using MailTracker.Core.Contacts;
using MailTracker.Core.Messages;
using MailTracker.Core.Sandbox;
using MailTracker.Tests.Infrastructure;
using MailTracker.Web.Hubs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Tests.Operations;

/// <summary>
/// Who may reach what, for every route the app maps (read from its EndpointDataSource, so a new route is in the matrix
/// the day it is added): an anonymous caller reaches only tracking, sign-in, first run, the error pages and health;
/// user B reaches none of user A's records (404, the same as a missing one) and sees none of A's data on any page;
/// the hub offers no method a client could call.
/// </summary>
public sealed class AccessMatrixTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    // The endpoints open to anyone: tracking, sign-in and first run, the error pages, health.
    private static readonly HashSet<string> Anonymous =
    [
        "/t/o/{token}.gif", "/t/c/{token}", "/Account/Login", "/Account/Lockout", "/Account/AccessDenied", "/setup",
        "/not-found", "/Error", "/healthz", "/healthz/ready",
    ];

    private const string Secret = "Alphasecret";

    [Fact]
    public async Task NobodyReachesAnotherUsersRecordsAndAnonymousCallersOnlyThePublicEndpoints()
    {
        var records = await AliceRecordsAsync();
        await app.CreateUserAsync("bruno@matrix.test", name: "Bruno", role: Roles.User);
        var (asAlice, _) = await TestMail.SignInAsync(app, "alice@matrix.test");
        var (asBruno, _) = await TestMail.SignInAsync(app, "bruno@matrix.test");
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(app.BaseUrl) };

        var endpoints = Routes().ToList();
        Assert.Equal(Anonymous.Order(), endpoints.Where(e => e.AllowsAnonymous).Select(e => e.Pattern).Order());
        var checkedCalls = 0;
        foreach (var endpoint in endpoints)
        {
            var path = records.Fill(endpoint.Pattern);

            // Anonymous: refused (401, or the sign-in page) unless public.
            var answer = await anonymous.SendAsync(new HttpRequestMessage(endpoint.Method, path));
            checkedCalls++;
            if (!endpoint.AllowsAnonymous)
            {
                Assert.True(
                    answer.StatusCode == HttpStatusCode.Unauthorized
                    || (answer.StatusCode == HttpStatusCode.Redirect && answer.Headers.Location!.OriginalString.Contains("/Account/Login", StringComparison.Ordinal)),
                    $"anonymous {endpoint.Method} {path} answered {(int)answer.StatusCode}");
            }
            else
            {
                Assert.True((int)answer.StatusCode < 500, $"anonymous {endpoint.Method} {path} answered {(int)answer.StatusCode}");
                Assert.DoesNotContain(Secret, await answer.Content.ReadAsStringAsync());
            }

            if (endpoint.AllowsAnonymous || endpoint.Method != HttpMethod.Get)
            {
                // Posts act on the caller's own account only: they take no record from the address.
                Assert.True(endpoint.AllowsAnonymous || endpoint.Parameters == 0, $"{endpoint.Pattern} posts to a record: add it to the matrix");
                continue;
            }

            // User B: another user's record is not found; no page shows any of A's data.
            var asB = await asBruno.GetAsync(path);
            checkedCalls++;
            Assert.DoesNotContain(Secret, await asB.Content.ReadAsStringAsync());
            if (records.IsRecord(endpoint.Pattern))
            {
                Assert.Equal(HttpStatusCode.NotFound, asB.StatusCode);
                var asA = await asAlice.GetAsync(path);
                Assert.Equal(HttpStatusCode.OK, asA.StatusCode);
                Assert.Contains(Secret, await asA.Content.ReadAsStringAsync());
            }
        }

        // Mail tracked per recipient: its page lists each recipient and who opened; Bruno finds nothing at its address.
        var perRecipient = $"/mail/{records.PerRecipientMessage}";
        var perRecipientAsB = await asBruno.GetAsync(perRecipient);
        Assert.Equal(HttpStatusCode.NotFound, perRecipientAsB.StatusCode);
        Assert.DoesNotContain("buyer@alpha.example", await perRecipientAsB.Content.ReadAsStringAsync());
        var perRecipientAsA = await asAlice.GetAsync(perRecipient);
        Assert.Equal(HttpStatusCode.OK, perRecipientAsA.StatusCode);
        var alicesPage = await perRecipientAsA.Content.ReadAsStringAsync();
        Assert.Contains("class=\"recipient-list\"", alicesPage);
        Assert.Contains("buyer@alpha.example", alicesPage);

        // The hub only pushes (to its user); a method a client could call would need its own row here.
        Assert.Empty(typeof(NotificationHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));
        Assert.InRange(checkedCalls, 40, 200);
    }

    [Fact]
    public async Task FirstRunIsOpenOnlyUntilTheFirstAccountExists()
    {
        await app.CreateUserAsync("owner@matrix.test");
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };

        var setup = await anonymous.GetAsync("/setup");

        Assert.Equal(HttpStatusCode.Redirect, setup.StatusCode);
        Assert.EndsWith("Account/Login", setup.Headers.Location!.OriginalString);
    }

    /// <summary>Every routed endpoint except static files and Blazor's own plumbing (its circuit hub serves the same pages).</summary>
    private IEnumerable<Route> Routes()
    {
        foreach (var endpoint in app.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText!;
            var parameters = endpoint.RoutePattern.Parameters;
            if ((parameters.Count == 0 && pattern.Contains('.')) || parameters.Any(p => p.IsCatchAll)
                || pattern.StartsWith("/_blazor", StringComparison.Ordinal) || pattern.StartsWith("/_framework", StringComparison.Ordinal))
            {
                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
            var method = methods.Count == 0 || methods.Contains("GET") ? HttpMethod.Get : new HttpMethod(methods[0]);
            yield return new Route(pattern, method, parameters.Count, endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null);
        }
    }

    private async Task<AliceRecords> AliceRecordsAsync()
    {
        var alice = await app.CreateUserAsync("alice@matrix.test", name: "Alice", role: Roles.User);
        var mail = await TestMail.SendAsync(app, alice, subject: $"{Secret} offer",
            html: $"<p>{Secret} terms on our <a href=\"{TestMail.PricingUrl}\">pricing page</a>.</p>");
        var person = (await app.Service<ContactBook>().AddAsync(alice.Id, new PersonInput { Name = $"{Secret} Person", Email = "person@alpha.example" })).Id!.Value;
        var deal = (await app.Service<DealPipeline>().AddAsync(alice.Id, new DealInput { Title = $"{Secret} Deal", Currency = "EUR" })).Id!.Value;
        var delivery = Assert.Single(await app.Service<SandboxMailbox>().ListAsync(alice.Id)).Id;
        var perRecipient = await app.Service<OutboxService>().QueueAsync(alice.Id, new ComposeRequest
        {
            To = "buyer@alpha.example, cfo@alpha.example",
            Subject = $"{Secret} per recipient",
            HtmlBody = $"<p>{Secret} terms.</p>",
            OpenTracking = true,
            TrackEachRecipient = true,
        });
        var perRecipientId = perRecipient.MessageId!.Value;
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await app.DbAsync();
            return await db.Messages.AnyAsync(m => m.Id == perRecipientId && m.Status == MessageStatus.Sent);
        }, "the per-recipient message to be sent");
        return new AliceRecords(mail, person, deal, delivery, perRecipientId);
    }

    private sealed record Route(string Pattern, HttpMethod Method, int Parameters, bool AllowsAnonymous);

    /// <summary>Alice's records, and the address of each route that names one.</summary>
    private sealed record AliceRecords(SentMail Mail, int Person, int Deal, long Delivery, long PerRecipientMessage)
    {
        public bool IsRecord(string pattern) => pattern is "/mail/{Id:long}" or "/contacts/{Id:int}" or "/deals/{Id:int}" or "/sandbox/{Id:long}" or "/sandbox/deliveries/{id:long}/html";

        public string Fill(string pattern) => pattern switch
        {
            "/mail/{Id:long}" => $"/mail/{Mail.MessageId}",
            "/mail/{FolderSegment}" => "/mail/sent",
            "/contacts/{Id:int}" => $"/contacts/{Person}",
            "/deals/{Id:int}" => $"/deals/{Deal}",
            "/sandbox/{Id:long}" => $"/sandbox/{Delivery}",
            "/sandbox/deliveries/{id:long}/html" => $"/sandbox/deliveries/{Delivery}/html",
            "/t/o/{token}.gif" => $"/t/o/{Mail.OpenToken}.gif",
            "/t/c/{token}" => $"/t/c/{Mail.ClickTokens[0]}",
            "/settings/email-integration/oauth/{provider}" => "/settings/email-integration/oauth/google",
            _ when !pattern.Contains('{') => pattern,
            _ => throw new InvalidOperationException($"{pattern} takes a parameter the access matrix does not know: add the record it names."),
        };
    }
}
