using MailTracker.Core.Messages;
using MailTracker.Tests.Infrastructure;

namespace MailTracker.Tests.Messages;

public sealed class MailboxQueriesTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    private MailboxQueries Queries => app.Service<MailboxQueries>();

    private static HttpClient MailClient(MailTrackerApp app)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
        return client;
    }

    /// <summary>Four sent messages: untracked, tracked not opened, tracked opened, tracked opened and clicked.</summary>
    private async Task<(string UserId, Dictionary<string, long> Ids)> SeedAsync(string email)
    {
        var user = await app.CreateUserAsync(email);
        var ids = new Dictionary<string, long>();
        ids["untracked"] = (await TestMail.SendAsync(app, user, subject: "Untracked hello", to: "amy@example.com", openTracking: false, linkTracking: false)).MessageId;
        ids["waiting"] = (await TestMail.SendAsync(app, user, subject: "Quote for Globex", to: "Greg <greg@globex.example>")).MessageId;
        var opened = await TestMail.SendAsync(app, user, subject: "Renewal", to: "nina@initech.example");
        var clicked = await TestMail.SendAsync(app, user, subject: "Pricing page", to: "Paul <paul@initech.example>", html: "<p>Our new <b>tarif</b> list: <a href=\"http://127.0.0.1:9/p\">here</a></p>");
        ids["opened"] = opened.MessageId;
        ids["clicked"] = clicked.MessageId;
        using var client = MailClient(app);
        await client.GetAsync($"/t/o/{opened.OpenToken}.gif");
        await client.GetAsync($"/t/o/{clicked.OpenToken}.gif");
        await client.GetAsync($"/t/c/{clicked.ClickTokens[0]}");
        await app.ProjectedAsync();
        return (user.Id, ids);
    }

    private async Task<List<long>> ListAsync(string userId, MailListQuery query) =>
        (await Queries.ListAsync(userId, query with { Folder = MailFolder.Sent })).Items.Select(i => i.Id).ToList();

    [Fact]
    public async Task FiltersReturnExactlyTheRightMessagesNewestFirst()
    {
        var (userId, ids) = await SeedAsync("filters@example.com");

        Assert.Equal([ids["clicked"], ids["opened"], ids["waiting"], ids["untracked"]], await ListAsync(userId, new()));
        Assert.Equal([ids["clicked"], ids["opened"], ids["waiting"]], await ListAsync(userId, new() { TrackedOnly = true }));
        Assert.Equal([ids["clicked"], ids["opened"]], await ListAsync(userId, new() { Opened = true }));
        Assert.Equal([ids["waiting"]], await ListAsync(userId, new() { NotOpened = true }));
        Assert.Equal([ids["clicked"]], await ListAsync(userId, new() { Clicked = true }));
        Assert.Equal([ids["clicked"], ids["opened"]], await ListAsync(userId, new() { TrackedOnly = true, Opened = true }));
        Assert.Equal([ids["clicked"], ids["opened"], ids["waiting"]], await ListAsync(userId, new() { Opened = true, NotOpened = true }));
        Assert.Empty(await ListAsync(userId, new() { NotOpened = true, Clicked = true }));
    }

    [Theory]
    [InlineData("globex", new[] { "waiting" })]            // participant domain
    [InlineData("GREG", new[] { "waiting" })]              // name, any case
    [InlineData("renewal", new[] { "opened" })]            // subject
    [InlineData("tarif", new[] { "clicked" })]             // body text
    [InlineData("initech", new[] { "clicked", "opened" })] // two messages
    [InlineData("paul tarif", new[] { "clicked" })]        // every term must match
    [InlineData("hello", new[] { "untracked" })]
    [InlineData("zz", new string[0])]                       // short terms fall back to a scan
    [InlineData("nobody-has-this", new string[0])]
    public async Task SearchFindsSubjectParticipantsAndBody(string search, string[] expected)
    {
        var (userId, ids) = await SeedAsync($"search-{Guid.NewGuid():N}@example.com");

        var found = await ListAsync(userId, new() { Search = search });

        Assert.Equal(expected.Select(e => ids[e]), found);
    }

    [Fact]
    public async Task SearchAndFiltersCombine()
    {
        var (userId, ids) = await SeedAsync("combine@example.com");

        Assert.Equal([ids["clicked"]], await ListAsync(userId, new() { Search = "initech", Clicked = true }));
        Assert.Equal([ids["waiting"]], await ListAsync(userId, new() { Search = "example", NotOpened = true }));
    }

    [Fact]
    public async Task PagesFollowOnWithoutGapsOrRepeats()
    {
        var (userId, ids) = await SeedAsync("pages@example.com");

        var first = await Queries.ListAsync(userId, new MailListQuery { Folder = MailFolder.Sent, PageSize = 3 });
        var last = first.Items[^1];
        var second = await Queries.ListAsync(userId, new MailListQuery { Folder = MailFolder.Sent, PageSize = 3, Before = (last.Date, last.Id) });

        Assert.True(first.HasMore);
        Assert.False(second.HasMore);
        Assert.Equal(ids.Values.OrderByDescending(i => i), first.Items.Concat(second.Items).Select(i => i.Id));
    }

    [Fact]
    public async Task AUserNeverSeesAnotherUsersMessages()
    {
        var (ownerId, ids) = await SeedAsync("owner@example.com");
        var intruder = await app.CreateUserAsync("intruder@example.com");

        Assert.Empty(await ListAsync(intruder.Id, new()));
        Assert.Empty(await ListAsync(intruder.Id, new() { Search = "initech" }));
        Assert.Null(await Queries.GetAsync(intruder.Id, ids["clicked"]));
        Assert.NotNull(await Queries.GetAsync(ownerId, ids["clicked"]));

        // By guessing the id in the URL: the page says "not found" and shows nothing of the message.
        var (client, _) = await TestMail.SignInAsync(app, "intruder@example.com");
        var response = await client.GetAsync($"/mail/{ids["clicked"]}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("Not found", page);
        Assert.DoesNotContain("Pricing page", page);
    }

    [Fact]
    public async Task TheListCarriesEachClickedUrlForTheTooltip()
    {
        var (userId, ids) = await SeedAsync("tooltip@example.com");

        var clicked = (await Queries.ListAsync(userId, new MailListQuery { Folder = MailFolder.Sent, Clicked = true })).Items.Single();

        Assert.Equal(ids["clicked"], clicked.Id);
        var link = Assert.Single(clicked.Links);
        Assert.Equal("http://127.0.0.1:9/p", link.Url);
        Assert.Equal(1, link.Count);
    }
}
