using System.ComponentModel.DataAnnotations;
using MailTracker.Core.Tracking.Verdicts;

namespace MailTracker.Web.Commands;

/// <summary>
/// The app's command-line commands, run instead of the web host: <c>classify FILE</c> and <c>refresh-ranges</c>.
/// They build no host and touch no database; they read the same configuration files the app does.
/// </summary>
public static class MailTrackerCommands
{
    /// <summary>Runs the command named by the first argument, if any; null when the arguments are for the web host.</summary>
    public static int? TryRun(string[] args)
    {
        if (args.Length == 0)
        {
            return null;
        }

        return args[0] switch
        {
            "classify" => ClassifyCommand.Run(args[1..], Console.In, Console.Out, Console.Error),
            "refresh-ranges" => RefreshRangesCommand.RunAsync(args[1..], Console.Out, Console.Error, CancellationToken.None).GetAwaiter().GetResult(),
            _ => null,
        };
    }

    /// <summary>The <c>Tracking:Verdicts</c> options as the app would bind them (appsettings, environment), validated.</summary>
    internal static VerdictOptions LoadVerdictOptions()
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production"}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var options = new VerdictOptions();
        configuration.GetSection(VerdictOptions.Section).Bind(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        return options;
    }

    /// <summary>The range directory the app would use, relative to the app's folder as the web host's content root is.</summary>
    internal static string? RangesDirectory(VerdictOptions options) =>
        Core.DependencyInjection.VerdictRangesDirectory(options, Directory.GetCurrentDirectory());
}
