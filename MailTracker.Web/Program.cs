using MailTracker.Core;
using MailTracker.Web;
using MailTracker.Web.Commands;
using MailTracker.Web.Operations;

// classify / refresh-ranges / backup run instead of the web host.
if (MailTrackerCommands.TryRun(args) is { } exitCode)
{
    return exitCode;
}

if (BackupCommand.IsRequested(args))
{
    return await BackupCommand.RunAsync(args);
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
