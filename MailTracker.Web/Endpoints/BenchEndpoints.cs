using MailTracker.Core.Data;
using MailTracker.Core.Tracking;
using MailTracker.Core.Tracking.Intake;
using Microsoft.Extensions.Options;

namespace MailTracker.Web.Endpoints;

/// <summary>
/// The tracking benchmark's reference points, registered only with <c>Tracking:BenchEndpoint</c> (never in production):
/// <c>/bench/gif</c> answers the pixel with no work behind it (the baseline); <c>/bench/handoff.gif</c> goes through an
/// intake writer of its own (queue, group, wait) whose intake writes nothing, showing what the hand-off itself costs.
/// </summary>
public static class BenchEndpoints
{
    private const string HandOff = "bench-handoff";

    public static IServiceCollection AddBenchEndpoints(this IServiceCollection services)
    {
        services.AddKeyedSingleton(HandOff, (sp, _) => new IntakeWriter(
            new DiscardingIntake(), new ProjectionSignal(), sp.GetRequiredService<IOptions<TrackingOptions>>(), sp.GetRequiredService<ILogger<IntakeWriter>>()));
        // Not AddHostedService: it keeps one hosted service per implementation type, and the product's IntakeWriter is one.
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredKeyedService<IntakeWriter>(HandOff));
        return services;
    }

    public static IEndpointRouteBuilder MapBenchEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/bench/gif", (HttpContext context) => TrackingEndpoints.PixelResult(context)).AllowAnonymous();
        app.MapGet("/bench/handoff.gif", async (HttpContext context, [FromKeyedServices(HandOff)] IntakeWriter writer, TrackingHitFactory hits) =>
        {
            await writer.AppendAsync(hits.Create("bench", IntakeKind.Open, context));
            return TrackingEndpoints.PixelResult(context);
        }).AllowAnonymous();
        return app;
    }

    /// <summary>An intake that accepts every group and keeps nothing.</summary>
    private sealed class DiscardingIntake : ITrackingIntake, IIntakeAppender
    {
        public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IIntakeAppender> OpenAppenderAsync(CancellationToken cancellationToken) => Task.FromResult<IIntakeAppender>(this);

        public Task AppendAsync(IReadOnlyList<IntakeHit> hits, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> TryBecomeProjectorAsync(CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<IntakeBatch> ReadNextAsync(MailTrackerDbContext db, int max, CancellationToken cancellationToken) => Task.FromResult(new IntakeBatch(0, []));

        public Task<bool> AcknowledgeAsync(MailTrackerDbContext db, IntakeBatch batch, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task TrimAsync(MailTrackerDbContext db, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<long> BacklogAsync(MailTrackerDbContext db, CancellationToken cancellationToken) => Task.FromResult(0L);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
