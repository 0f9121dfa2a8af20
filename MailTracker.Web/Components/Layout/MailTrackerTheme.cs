using MudBlazor;

namespace MailTracker.Web.Components.Layout;

/// <summary>The app's colours, light and dark.</summary>
public static class MailTrackerTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1b5fc1",
            Secondary = "#00897b",
            AppbarBackground = "#1b3a5c",
            Success = "#2e7d32",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7fb0ff",
            Secondary = "#4db6ac",
            AppbarBackground = "#14253a",
            Success = "#66bb6a",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
    };
}
