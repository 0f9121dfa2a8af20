using System.Globalization;
using System.Security.Claims;
using MailTracker.Core.Accounts;
using MailTracker.Core.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace MailTracker.Web;

/// <summary>
/// The signed-in user of this circuit: id, name, time zone and preferences, loaded once. Every query a page
/// makes is scoped with <see cref="Id"/>.
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication, IDbContextFactory<MailTrackerDbContext> contextFactory)
{
    private AppUser? _user;
    private TimeZoneInfo _timeZone = TimeZoneInfo.Utc;

    public string Id => _user?.Id ?? throw new InvalidOperationException("Call LoadAsync first.");

    public AppUser User => _user ?? throw new InvalidOperationException("Call LoadAsync first.");

    public bool IsAdmin { get; private set; }

    public TimeZoneInfo TimeZone => _timeZone;

    public async Task<AppUser?> LoadAsync(bool refresh = false)
    {
        if (_user is not null && !refresh)
        {
            return _user;
        }

        var state = await authentication.GetAuthenticationStateAsync();
        var id = state.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null)
        {
            return null;
        }

        await using var db = await contextFactory.CreateDbContextAsync();
        _user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id);
        IsAdmin = state.User.IsInRole(Roles.Admin);
        _timeZone = FindTimeZone(_user?.TimeZoneId);
        return _user;
    }

    public async Task SetDarkModeAsync(bool dark)
    {
        await using var db = await contextFactory.CreateDbContextAsync();
        await db.Users.Where(u => u.Id == Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DarkMode, dark));
        User.DarkMode = dark;
    }

    /// <summary>A UTC time in the user's time zone.</summary>
    public DateTime ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _timeZone);

    /// <summary>"27 Nov 2026, 10:02" in the user's time zone and language.</summary>
    public string FormatDateTime(DateTime utc) =>
        ToLocal(utc).ToString("d MMM yyyy, HH:mm", CultureInfo.CurrentCulture);

    /// <summary>Today: the time; earlier: the date.</summary>
    public string FormatListDate(DateTime utc, DateTime nowUtc)
    {
        var local = ToLocal(utc);
        return local.Date == ToLocal(nowUtc).Date
            ? local.ToString("HH:mm", CultureInfo.CurrentCulture)
            : local.Year == ToLocal(nowUtc).Year
                ? local.ToString("d MMM", CultureInfo.CurrentCulture)
                : local.ToString("d MMM yyyy", CultureInfo.CurrentCulture);
    }

    public static TimeZoneInfo FindTimeZone(string? id)
    {
        if (!string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return zone;
        }

        return TimeZoneInfo.Utc;
    }
}
