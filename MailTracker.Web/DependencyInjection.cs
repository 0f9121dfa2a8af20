using MailTracker.Core.Accounts;
using MailTracker.Core.Messages;
using MailTracker.Core.Notifications;
using MailTracker.Core.Tracking;
using MailTracker.Web.Components;
using MailTracker.Web.Components.Account;
using MailTracker.Web.Endpoints;
using MailTracker.Web.Hubs;
using MailTracker.Web.Live;
using MailTracker.Web.Localization;
using MailTracker.Web.Operations;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;

namespace MailTracker.Web;

public static class DependencyInjection
{
    /// <summary>Registers the web front: Blazor with MudBlazor, sign-in, localisation, the notification hub.</summary>
    public static IHostApplicationBuilder AddMailTrackerWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddTransient<MudBlazor.MudLocalizer, MudStringsLocalizer>();
        services.AddLocalization();

        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(ConfigureSignInCookie);
        // Antiforgery's own default is never Secure: over HTTPS its cookie, like the sign-in cookie, stays off plain HTTP.
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Roles.Admin, policy => policy.RequireRole(Roles.Admin));

        services.AddOptions<ScaleOutOptions>().BindConfiguration(ScaleOutOptions.Section);
        var signalR = services.AddSignalR();
        var redis = builder.Configuration.GetSection(ScaleOutOptions.Section).Get<ScaleOutOptions>()?.Redis;
        if (!string.IsNullOrWhiteSpace(redis))
        {
            signalR.AddStackExchangeRedis(redis, options => options.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("mailtracker"));
            services.AddSingleton<RedisHealthCheck>();
            services.AddHealthChecks().AddCheck<RedisHealthCheck>(Core.Operations.HealthChecks.Redis);
        }

        services.AddSingleton<IUserPush, SignalRUserPush>();
        services.AddSingleton<TrackingHitFactory>();

        services.AddOptions<ReverseProxyOptions>().BindConfiguration(ReverseProxyOptions.Section)
            .Validate(o => o.IsValid(), "ReverseProxy:KnownProxies must list IP addresses and ReverseProxy:KnownNetworks CIDR networks, e.g. 10.0.0.0/8.")
            .ValidateOnStart();
        services.AddOptions<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<ReverseProxyOptions>>((forwarded, proxy) => proxy.Value.Apply(forwarded));
        if (builder.Configuration.GetSection(TrackingOptions.Section).Get<TrackingOptions>()?.BenchEndpoint == true)
        {
            services.AddBenchEndpoints();
        }
        services.AddScoped<LiveUpdates>();
        services.AddScoped<CurrentUser>();
        builder.AddMailTrackerMetrics();
        services.AddSignInThrottle();
        return builder;
    }

    /// <summary>The middleware, in order.</summary>
    public static WebApplication UseMailTrackerPipeline(this WebApplication app)
    {
        // First: everything after it (the rate limit, the stored address, sign-in's scheme) sees the real client.
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReverseProxyOptions>>().Value.Enabled)
        {
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<SecurityHeaders>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        app.UseRequestLocalization(options =>
        {
            options.SetDefaultCulture(SupportedCultures.Default)
                .AddSupportedCultures(SupportedCultures.Codes)
                .AddSupportedUICultures(SupportedCultures.Codes);
            options.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        // A friendly page for people who land on a missing page; machines (the hub, tracking, health) get bare statuses.
        app.UseWhen(
            context => HttpMethods.IsGet(context.Request.Method) && !IsMachineEndpoint(context.Request.Path),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        // Routing after the status pages, so a re-executed /not-found (or /Error) finds its endpoint.
        app.UseRouting();
        app.UseMiddleware<FirstRunRedirect>();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<SenderSessionRecorder>();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>Every endpoint; anything not marked anonymous requires sign-in.</summary>
    public static WebApplication MapMailTrackerEndpoints(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        // Blazor's own frame-ancestors header would stand in for SecurityHeaders' whole policy; that one says 'none'.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
        app.MapAccountEndpoints();
        app.MapMailboxOAuthEndpoints();
        app.MapTrackingEndpoints();
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TrackingOptions>>().Value.BenchEndpoint)
        {
            app.MapBenchEndpoints();
        }

        app.MapSandboxEndpoints();
        app.MapHealthEndpoints();
        app.MapMailTrackerMetrics();
        app.MapHub<NotificationHub>(NotificationHub.Path);
        return app;
    }

    private static bool IsMachineEndpoint(PathString path) =>
        path.StartsWithSegments("/hubs") || path.StartsWithSegments("/t") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/metrics") || path.StartsWithSegments("/sandbox/deliveries");

    private static void ConfigureSignInCookie(CookieAuthenticationOptions options)
    {
        options.LoginPath = "/Account/Login";
        options.AccessDeniedPath = "/Account/AccessDenied";
        options.Cookie.Name = "MailTracker.Auth";
        options.Cookie.HttpOnly = true;
        // Strict: no other site can make a request that carries it (CSRF), and a mail client showing tracked mail
        // never sends it with a pixel or a click, so the local sandbox is a faithful stand-in for the recipient.
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.SlidingExpiration = true;
        options.ExpireTimeSpan = TimeSpan.FromDays(14);

        // Every request: a deactivated user or an outdated security stamp signs out now, then Identity's own check runs.
        var securityStampValidator = options.Events.OnValidatePrincipal;
        options.Events.OnValidatePrincipal = context => ActiveUserCookieValidator.ValidateAsync(context, securityStampValidator);

        // The hub and other non-page requests get a plain 401/403, not a redirect to a login page.
        options.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/hubs") || context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
