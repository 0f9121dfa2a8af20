using MailTracker.Web.Localization;
using Microsoft.Extensions.Localization;

namespace MailTracker.Web.Components.Pages.Mail;

/// <summary>The Mail tab's tracking filters; immutable, so a change is a new value.</summary>
public sealed record MailFilters(bool TrackedOnly, bool Opened, bool NotOpened, bool Clicked)
{
    public static readonly MailFilters None = new(false, false, false, false);

    public bool Any => TrackedOnly || Opened || NotOpened || Clicked;

    public MailFilters With(string key, bool on) => key switch
    {
        nameof(TrackedOnly) => this with { TrackedOnly = on },
        nameof(Opened) => this with { Opened = on },
        nameof(NotOpened) => this with { NotOpened = on },
        nameof(Clicked) => this with { Clicked = on },
        _ => this,
    };

    public MailFilters Without(string key) => With(key, false);

    public bool Get(string key) => key switch
    {
        nameof(TrackedOnly) => TrackedOnly,
        nameof(Opened) => Opened,
        nameof(NotOpened) => NotOpened,
        nameof(Clicked) => Clicked,
        _ => false,
    };

    /// <summary>Every filter, with its label, in menu order.</summary>
    public static IEnumerable<(string Key, string Label)> All(IStringLocalizer<Strings> localizer) =>
    [
        (nameof(TrackedOnly), localizer["Email tracking enabled"]),
        (nameof(Opened), localizer["Opened"]),
        (nameof(NotOpened), localizer["Not opened"]),
        (nameof(Clicked), localizer["Clicked"]),
    ];

    public IEnumerable<(string Key, string Label)> Active(IStringLocalizer<Strings> localizer) =>
        All(localizer).Where(f => Get(f.Key));
}
