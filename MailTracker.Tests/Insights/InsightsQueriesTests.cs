using MailTracker.Core.Accounts;
using MailTracker.Core.Insights;
using MailTracker.Core.Messages;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Verdicts;
using MailTracker.Tests.Infrastructure;

namespace MailTracker.Tests.Insights;

public sealed class InsightsQueriesTests(MailTrackerApp app) : IClassFixture<MailTrackerApp>
{
    private InsightsQueries Insights => app.Service<InsightsQueries>();

    private MailboxQueries Mailbox => app.Service<MailboxQueries>();

    private static HttpClient MailClient(MailTrackerApp app)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0");
        return client;
    }

    /// <summary>Five sent messages (one untracked), real hits through the tracking endpoints, one HEAD probe that must not count.</summary>
    private async Task<AppUser> SeedAsync(string email, string role = Roles.Admin)
    {
        var user = await app.CreateUserAsync(email, role: role);
        await TestMail.SendAsync(app, user, subject: "Untracked hello", to: "amy@example.com", openTracking: false, linkTracking: false);
        await TestMail.SendAsync(app, user, subject: "Quote for Globex", to: "greg@globex.example");
        var opened = await TestMail.SendAsync(app, user, subject: "Renewal", to: "nina@initech.example");
        var clicked = await TestMail.SendAsync(app, user, subject: "Pricing page", to: "paul@initech.example", html: $"<p><a href=\"{TestMail.PricingUrl}\">prices</a></p>");
        var probed = await TestMail.SendAsync(app, user, subject: "Probed only", to: "sec@bank.example", html: $"<p><a href=\"{TestMail.PricingUrl}\">prices</a></p>");
        using var client = MailClient(app);
        await client.GetAsync($"/t/o/{opened.OpenToken}.gif");
        await client.GetAsync($"/t/o/{opened.OpenToken}.gif");
        await client.GetAsync($"/t/o/{clicked.OpenToken}.gif");
        await client.GetAsync($"/t/c/{clicked.ClickTokens[0]}");
        await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/t/c/{probed.ClickTokens[0]}"));
        await app.ProjectedAsync();
        return user;
    }

    private static InsightsQuery Today(InsightsInterval interval = InsightsInterval.Day, bool team = false)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return new InsightsQuery(today.AddDays(-6), today, interval, TimeZoneInfo.Utc, team);
    }

    private async Task<int> MailTabCountAsync(string userId, MailListQuery query) =>
        (await Mailbox.ListAsync(userId, query with { Folder = MailFolder.Sent, PageSize = 1000 })).Items.Count;

    [Fact]
    public async Task TotalsEqualTheMailTabsFiltersOverTheSameMail()
    {
        var user = await SeedAsync("insights-totals@example.com");

        var overview = await Insights.OverviewAsync(user.Id, Today());

        Assert.NotNull(overview);
        Assert.Equal(await MailTabCountAsync(user.Id, new() { TrackedOnly = true }), overview.Total.Sent);
        Assert.Equal(await MailTabCountAsync(user.Id, new() { Opened = true }), overview.Total.Opened);
        Assert.Equal(await MailTabCountAsync(user.Id, new() { Opened = true, NotOpened = true }), overview.Total.OpenTracked);
        Assert.Equal(await MailTabCountAsync(user.Id, new() { Clicked = true }), overview.Total.Clicked);
        Assert.Equal((4, 2, 1), (overview.Total.Sent, overview.Total.Opened, overview.Total.Clicked));
        Assert.Equal(0.5, overview.Total.OpenRate);
        Assert.Equal(4, overview.Points.Sum(p => p.Sent));
    }

    [Fact]
    public async Task UncountedHitsAreTheAutomatedShareAndNeverARate()
    {
        var user = await SeedAsync("insights-automated@example.com");

        var overview = await Insights.OverviewAsync(user.Id, Today());

        Assert.NotNull(overview);
        var probe = Assert.Single(overview.Automated);
        Assert.Equal((Verdict.Scanner, TrackingKind.Click, 1), (probe.Source, probe.Kind, probe.Count));
        Assert.Equal(1, overview.Total.Clicked);
        var link = Assert.Single(overview.TopLinks);
        Assert.Equal((TestMail.PricingUrl, 1, 1), (link.Url, link.Clicks, link.Messages));
    }

    [Fact]
    public async Task MessagesSortAndPageAndAreTheUsersOwn()
    {
        var user = await SeedAsync("insights-messages@example.com");
        var other = await SeedAsync("insights-other@example.com");

        var byOpens = await Insights.MessagesAsync(user.Id, new InsightsMessagesQuery(Today(), InsightsSort.Opens, Descending: true, Skip: 0, Take: 2));
        var rest = await Insights.MessagesAsync(user.Id, new InsightsMessagesQuery(Today(), InsightsSort.Opens, Descending: true, Skip: 2, Take: 2));
        var bySubject = await Insights.MessagesAsync(user.Id, new InsightsMessagesQuery(Today(), InsightsSort.Subject, Descending: false));

        Assert.Equal(4, byOpens.Total);
        Assert.Equal(["Renewal", "Pricing page"], byOpens.Items.Select(m => m.Subject));
        Assert.Equal(2, rest.Items.Count);
        Assert.Equal(["Pricing page", "Probed only", "Quote for Globex", "Renewal"], bySubject.Items.Select(m => m.Subject));
        Assert.DoesNotContain(bySubject.Items, m => m.Subject == "Untracked hello");
        var others = await Insights.MessagesAsync(other.Id, new InsightsMessagesQuery(Today()));
        Assert.Empty(others.Items.Select(m => m.Id).Intersect(bySubject.Items.Select(m => m.Id)));
    }

    [Fact]
    public async Task TheTeamViewIsForAdminsAndSumsPerUser()
    {
        var admin = await SeedAsync("insights-admin@example.com");
        var rep = await SeedAsync("insights-rep@example.com", Roles.User);

        var team = await Insights.OverviewAsync(admin.Id, Today(team: true));
        var refused = await Insights.OverviewAsync(rep.Id, Today(team: true));

        Assert.Null(refused);
        Assert.NotNull(team);
        var repRow = Assert.Single(team.Users, u => u.UserId == rep.Id);
        Assert.Equal((4, 2, 1), (repRow.Sent, repRow.Opened, repRow.Clicked));
        Assert.Equal(team.Users.Sum(u => u.Sent), team.Total.Sent);
        Assert.Empty(team.TopLinks);
    }

    [Fact]
    public void BucketsFollowTheUsersTimeZoneAndWeeksStartOnMonday()
    {
        var warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
        var query = new InsightsQuery(new DateOnly(2026, 11, 25), new DateOnly(2026, 12, 2), InsightsInterval.Week, warsaw);

        var (from, to) = InsightsQueries.UtcRange(query);

        Assert.Equal(new DateTime(2026, 11, 24, 23, 0, 0, DateTimeKind.Utc), from);
        Assert.Equal(new DateTime(2026, 12, 2, 23, 0, 0, DateTimeKind.Utc), to);
        Assert.Equal([new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 30)], InsightsQueries.BucketStarts(query));
        Assert.Equal([new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1)], InsightsQueries.BucketStarts(query with { Interval = InsightsInterval.Month }));
    }

    [Fact]
    public async Task MailLandsInTheBucketOfItsLocalDayAcrossMidnightDaylightSavingAndHalfHourZones()
    {
        var user = await app.CreateUserAsync("insights-buckets@example.com");
        // Sent at these instants: each pair straddles a local midnight (Warsaw UTC+1 in winter, +2 in summer; Kolkata +5:30).
        DateTime[] sentAt =
        [
            new(2026, 11, 29, 22, 59, 0, DateTimeKind.Utc), // Sunday 23:59 in Warsaw
            new(2026, 11, 29, 23, 0, 0, DateTimeKind.Utc), // Monday 00:00 in Warsaw
            new(2026, 3, 28, 23, 30, 0, DateTimeKind.Utc), // 29 March 00:30 in Warsaw, the day clocks go forward
            new(2026, 11, 29, 18, 29, 0, DateTimeKind.Utc), // 23:59 in Kolkata
            new(2026, 11, 29, 18, 30, 0, DateTimeKind.Utc), // 00:00 in Kolkata
        ];
        await using (var db = await app.DbAsync())
        {
            foreach (var at in sentAt)
            {
                var sent = await TestMail.SendAsync(app, user, subject: $"Sent {at:O}", to: "dan@example.com");
                var message = await db.Messages.FindAsync(sent.MessageId);
                db.Entry(message!).Property(m => m.Date).CurrentValue = at;
            }

            await db.SaveChangesAsync();
        }

        var warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
        var kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");
        async Task<Dictionary<DateOnly, int>> SentPerBucketAsync(InsightsQuery query) =>
            (await Insights.OverviewAsync(user.Id, query))!.Points.Where(p => p.Sent > 0).ToDictionary(p => p.Start, p => p.Sent);

        // Warsaw by day: 22:59 UTC is still Sunday, 23:00 UTC already Monday; 18:29 and 18:30 UTC are both Sunday evening.
        Assert.Equal(
            new Dictionary<DateOnly, int> { [new(2026, 11, 29)] = 3, [new(2026, 11, 30)] = 1 },
            await SentPerBucketAsync(new InsightsQuery(new DateOnly(2026, 11, 28), new DateOnly(2026, 12, 1), InsightsInterval.Day, warsaw)));
        // By week (Monday first): the Sunday ones belong to the week of 23 November.
        Assert.Equal(
            new Dictionary<DateOnly, int> { [new(2026, 11, 23)] = 3, [new(2026, 11, 30)] = 1 },
            await SentPerBucketAsync(new InsightsQuery(new DateOnly(2026, 11, 23), new DateOnly(2026, 12, 6), InsightsInterval.Week, warsaw)));
        // The day clocks go forward in Warsaw: 23:30 UTC on the 28th is 00:30 on the 29th.
        Assert.Equal(
            new Dictionary<DateOnly, int> { [new(2026, 3, 29)] = 1 },
            await SentPerBucketAsync(new InsightsQuery(new DateOnly(2026, 3, 27), new DateOnly(2026, 3, 30), InsightsInterval.Day, warsaw)));
        // Kolkata, half an hour off: 18:29 UTC is the 29th, 18:30 UTC the 30th (and so are the two Warsaw-midnight ones).
        Assert.Equal(
            new Dictionary<DateOnly, int> { [new(2026, 11, 29)] = 1, [new(2026, 11, 30)] = 3 },
            await SentPerBucketAsync(new InsightsQuery(new DateOnly(2026, 11, 29), new DateOnly(2026, 11, 30), InsightsInterval.Day, kolkata)));
        // A range that starts after some of them leaves those out.
        Assert.Equal(
            new Dictionary<DateOnly, int> { [new(2026, 11, 30)] = 1 },
            await SentPerBucketAsync(new InsightsQuery(new DateOnly(2026, 11, 30), new DateOnly(2026, 11, 30), InsightsInterval.Week, warsaw)));
    }
}
