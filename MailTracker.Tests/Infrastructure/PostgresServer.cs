using System.Diagnostics;
using Npgsql;

namespace MailTracker.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL (Debian's packaged binaries) in a temporary folder on a free loopback port, run as the
/// <c>postgres</c> user when the tests run as root (PostgreSQL refuses root); stopped by the PID in its postmaster.pid.
/// fsync is off: these are throw-away databases.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mailtracker-pg-").FullName;
    private Process? _process;

    public int Port { get; } = FreePort.Next();

    private string DataFolder => Path.Combine(_folder, "data");

    public async Task InitializeAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists)
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var version) ? version : 0).FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL is not installed (apt-get install -y postgresql).");
        }

        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "-R", "postgres:postgres", _folder);
        }

        await RunAsync(AsPostgres(Path.Combine(bin, "initdb"), "-D", DataFolder, "--auth=trust", "--username=postgres", "--encoding=UTF8", "--no-sync"));
        var start = Start(AsPostgres(Path.Combine(bin, "postgres"), "-D", DataFolder, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-k", _folder, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=300"));
        _process = Process.Start(start) ?? throw new InvalidOperationException("postgres did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                await connection.OpenAsync();
                return true;
            }
            catch (NpgsqlException)
            {
                return false;
            }
        }, "PostgreSQL to accept connections");
    }

    /// <summary>A new, empty database on this server; the connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "mailtracker_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    private string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=50";

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var pidFile = Path.Combine(DataFolder, "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse((await File.ReadAllLinesAsync(pidFile)).FirstOrDefault(), out var pid))
        {
            // SIGINT: PostgreSQL's fast shutdown (disconnects clients, stops at once).
            await RunAsync("kill", "-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else if (_process is { HasExited: false })
        {
            // It never got as far as writing its pid file: stop what was started, by its own PID.
            _process.Kill(entireProcessTree: true);
        }

        if (_process is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
            _process.Dispose();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    private static string[] AsPostgres(params string[] command) =>
        Environment.UserName == "root" ? ["runuser", "-u", "postgres", "--", .. command] : command;

    private static ProcessStartInfo Start(string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task RunAsync(params string[] command)
    {
        using var process = Process.Start(Start(command)) ?? throw new InvalidOperationException($"{command[0]} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
