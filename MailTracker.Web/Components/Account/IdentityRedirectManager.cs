using Microsoft.AspNetCore.Components;

namespace MailTracker.Web.Components.Account;

/// <summary>Redirects from the static sign-in pages, refusing to leave the app (no open redirects).</summary>
internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    /// <summary>
    /// Goes to <paramref name="uri"/> if it is a page of this app (relative, or absolute under the app's base); anything
    /// else — another host, another scheme, a protocol-relative or backslashed path, which a sign-in link's ReturnUrl
    /// may carry — goes to the start page instead of failing.
    /// </summary>
    public void RedirectTo(string? uri)
    {
        uri ??= "";
        if (!Uri.IsWellFormedUriString(uri, UriKind.Relative) || uri.StartsWith("//", StringComparison.Ordinal) || uri.StartsWith("/\\", StringComparison.Ordinal))
        {
            uri = Uri.TryCreate(uri, UriKind.Absolute, out var absolute)
                  && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps)
                  && absolute.AbsoluteUri.StartsWith(navigationManager.BaseUri, StringComparison.Ordinal)
                ? navigationManager.ToBaseRelativePath(absolute.AbsoluteUri)
                : "";
        }

        navigationManager.NavigateTo(uri);
    }
}
