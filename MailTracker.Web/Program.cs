using MailTracker.Core;
using MailTracker.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddMailTrackerCore();
builder.AddMailTrackerWeb();

var app = builder.Build();

app.UseMailTrackerPipeline();
app.MapMailTrackerEndpoints();

app.Run();

/// <summary>The entry point, visible to the integration tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
