using MailTracker.Tests.Infrastructure;
using MailTracker.Web;
using Microsoft.Extensions.DependencyInjection;

namespace MailTracker.Tests.Components;

public sealed class CurrentUserTests : ComponentTestBase
{
    [Fact]
    public async Task TimesAreShownInTheUsersTimeZone()
    {
        await SignInAsync(timeZone: "Europe/Warsaw");
        var me = Services.GetRequiredService<CurrentUser>();
        await me.LoadAsync();

        // Warsaw is UTC+1 in November.
        Assert.Equal("27 Nov 2026, 11:02", me.FormatDateTime(new DateTime(2026, 11, 27, 10, 2, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public async Task TheListShowsTheTimeForTodayAndTheDateBefore()
    {
        await SignInAsync();
        var me = Services.GetRequiredService<CurrentUser>();
        await me.LoadAsync();
        var now = new DateTime(2026, 11, 27, 15, 0, 0, DateTimeKind.Utc);

        Assert.Equal("09:15", me.FormatListDate(new DateTime(2026, 11, 27, 9, 15, 0, DateTimeKind.Utc), now));
        Assert.Equal("3 Oct", me.FormatListDate(new DateTime(2026, 10, 3, 9, 15, 0, DateTimeKind.Utc), now));
        Assert.Equal("3 Oct 2025", me.FormatListDate(new DateTime(2025, 10, 3, 9, 15, 0, DateTimeKind.Utc), now));
    }
}
