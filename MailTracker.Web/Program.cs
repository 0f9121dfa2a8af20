using MailTracker.Core;
using MailTracker.Web;
using MailTracker.Web.Commands;

// classify / refresh-ranges run instead of the web host: no database, no server.
if (MailTrackerCommands.TryRun(args) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddMailTrackerCore();
builder.AddMailTrackerWeb();

var app = builder.Build();

app.UseMailTrackerPipeline();
app.MapMailTrackerEndpoints();

app.Run();
return 0;

/// <summary>The entry point, visible to the integration tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
