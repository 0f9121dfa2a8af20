using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using MailTracker.Web.Localization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace MailTracker.Web.Operations;

/// <summary>The <c>SignIn</c> section: how many sign-in posts one client address may make per minute.</summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "SignIn";

    /// <summary>Posts of the sign-in form per client address per minute; beyond it the post is refused (0 = no limit).</summary>
    [Range(0, 10_000, ErrorMessage = "SignIn:AttemptsPerMinutePerAddress must be between 0 and 10000.")]
    public int AttemptsPerMinutePerAddress { get; set; } = 10;
}

/// <summary>
/// A per-address throttle on the sign-in post, beside the per-account lockout: one address guessing passwords for many
/// accounts is slowed down without locking anyone out. The address is the real client's (forwarded headers are
/// trusted only from configured proxies).
/// </summary>
public static class SignInThrottle
{
    public const string LoginPath = "/Account/Login";

    public static IServiceCollection AddSignInThrottle(this IServiceCollection services)
    {
        services.AddOptions<SignInThrottleOptions>().BindConfiguration(SignInThrottleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<Microsoft.Extensions.Options.IOptions<SignInThrottleOptions>>((limiter, throttle) =>
        {
            var permits = throttle.Value.AttemptsPerMinutePerAddress;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                permits > 0 && HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(LoginPath, StringComparison.OrdinalIgnoreCase)
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var text = rejected.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<Strings>>();
                rejected.HttpContext.Response.Headers.RetryAfter = "60";
                rejected.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await rejected.HttpContext.Response.WriteAsync(text["Too many sign-in attempts from your address. Wait a minute, then try again."], cancellationToken);
            };
        });
        return services;
    }
}
