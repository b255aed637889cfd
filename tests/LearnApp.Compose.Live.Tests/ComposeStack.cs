using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace LearnApp.Compose.Live.Tests;

/// <summary>
/// deploy/compose/compose.yaml, unchanged, run by Debian's docker-compose under a project name of its own, with a
/// .env made from .env.example with fresh secrets in a temp folder (never in the repository). Disposal takes down
/// everything the project made: containers, its network and its volumes.
/// </summary>
internal sealed partial class ComposeStack : IAsyncDisposable
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromMinutes(5);

    private readonly string _directory;
    private readonly Dictionary<string, string?> _environment;

    private ComposeStack(string name, string directory, int frontendPort, Dictionary<string, string?> environment)
    {
        Name = name;
        _directory = directory;
        FrontendPort = frontendPort;
        _environment = environment;
    }

    public string Name { get; }

    /// <summary>The frontend's published port, on 127.0.0.1 only.</summary>
    public int FrontendPort { get; }

    public Uri FrontendUrl => new($"http://127.0.0.1:{FrontendPort}/");

    private string EnvFile => Path.Combine(_directory, ".env");

    public static async Task<ComposeStack> CreateAsync(string purpose)
    {
        var name = $"learnapp-live-{purpose}-{Guid.NewGuid().ToString("N")[..8]}";
        var directory = Path.Combine(Path.GetTempPath(), "learnapp-compose-live", name);
        Directory.CreateDirectory(directory);

        var example = await File.ReadAllTextAsync(Path.Combine(Repository.ComposeDirectory, ".env.example"));
        var port = FreeLoopbackPort();
        var env = new StringBuilder();
        foreach (Match required in RequiredVariable().Matches(example))
        {
            // Hex keeps every secret free of the characters the compose file and connection strings treat specially.
            env.Append(required.Groups["name"].Value).Append('=').Append(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))).Append('\n');
        }
        env.Append("FRONTEND_HTTP_PORT=127.0.0.1:").Append(port).Append('\n');
        await File.WriteAllTextAsync(Path.Combine(directory, ".env"), env.ToString());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(directory, ".env"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // Variables of the same names in this process's environment would win over the .env file: drop them.
        var environment = AnyVariable().Matches(example).Select(m => m.Groups["name"].Value).Distinct()
            .ToDictionary(n => n, string? (_) => null);
        return new ComposeStack(name, directory, port, environment);
    }

    public Task<CommandResult> ComposeAsync(params string[] arguments) =>
        CommandLine.RunAsync(
            "docker-compose",
            ["--project-name", Name, "--file", Path.Combine(Repository.ComposeDirectory, "compose.yaml"), "--env-file", EnvFile, .. arguments],
            s_commandTimeout,
            _environment);

    /// <summary>Brings the default profile up, or the scaled one with <paramref name="workers"/> workers.</summary>
    public async Task UpAsync(bool scaled, int workers = 2)
    {
        string[] arguments = scaled
            ? ["--profile", "scaled", "up", "--detach", "--no-build", "--scale", $"worker={workers}"]
            : ["up", "--detach", "--no-build"];
        (await ComposeAsync(arguments)).EnsureSuccess();
    }

    public async Task<IReadOnlyList<ContainerState>> ContainersAsync()
    {
        var ids = await Docker.OutputAsync("ps", "--all", "--quiet", "--no-trunc", "--filter", $"label=com.docker.compose.project={Name}");
        return await Docker.InspectAsync(ids.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    public async Task<IReadOnlyList<ContainerState>> ContainersAsync(string service) =>
        [.. (await ContainersAsync()).Where(c => c.Service == service)];

    /// <summary>
    /// Waits until every container is healthy (those with a health check), running (those without) or, for the
    /// migrator, exited 0 with no health check. A container that exits otherwise or turns unhealthy fails at once, with its log.
    /// </summary>
    public async Task<TimeSpan> WaitHealthyAsync(TimeSpan timeout, int expectedContainers)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var containers = await ContainersAsync();
            foreach (var container in containers)
            {
                // The migrator is a one-shot run of the Api image: done means exited 0, and it runs no health check
                // (compose disables the image's, which would otherwise leave it "exited (unhealthy)").
                var failed = container.Service == "migrator"
                    ? (container.Status == "exited" && container.ExitCode != 0) || container.Health.Length > 0
                    : container.Status == "exited" || container.Health == "unhealthy";
                if (failed)
                {
                    var logs = await Docker.RunAsync(TimeSpan.FromSeconds(30), "logs", "--tail", "30", container.Id);
                    throw new InvalidOperationException(
                        $"{container.Service} ({container.Hostname}) is {container.Status}/{container.Health} (exit {container.ExitCode}):\n{logs.Output}{logs.Error}");
                }
            }
            var ready = containers.Count == expectedContainers && containers.All(c =>
                c.Service == "migrator" ? c.Status == "exited" : c.IsRunning && (c.Health.Length == 0 || c.IsHealthy));
            if (ready)
            {
                return clock.Elapsed;
            }
            if (clock.Elapsed > timeout)
            {
                var states = string.Join(", ", containers.Select(c => $"{c.Service}={c.Status}/{c.Health}"));
                throw new TimeoutException($"{Name} not healthy after {timeout.TotalSeconds:0} s: {states}");
            }
            await Task.Delay(250);
        }
    }

    /// <summary>Runs SQL in the PostgreSQL container with the container's own credentials (none pass through here).</summary>
    public async Task<string> PsqlAsync(string sql)
    {
        var postgres = (await ContainersAsync("postgres")).Single();
        var result = await CommandLine.RunAsync(
            Docker.Cli,
            ["exec", "-i", postgres.Id, "bash", "-c", PsqlCommand],
            TimeSpan.FromMinutes(1),
            standardInput: sql);
        return result.EnsureSuccess().Output;
    }

    /// <summary>A psql session in the PostgreSQL container, for holding a lock across steps.</summary>
    public async Task<PsqlSession> OpenPsqlSessionAsync()
    {
        var postgres = (await ContainersAsync("postgres")).Single();
        return PsqlSession.Start(Docker.Cli, ["exec", "-i", postgres.Id, "bash", "-c", PsqlCommand]);
    }

    private const string PsqlCommand =
        "PGPASSWORD=\"$POSTGRES_PASSWORD\" exec psql -h 127.0.0.1 -U \"$POSTGRES_USER\" -d db -v ON_ERROR_STOP=1 -X -q -t -A";

    public async ValueTask DisposeAsync()
    {
        // Also on failure: containers of both profiles, the network and the named volumes of this project only.
        await ComposeAsync("--profile", "scaled", "down", "--volumes", "--remove-orphans", "--timeout", "5");
        var left = await Docker.RunAsync(TimeSpan.FromMinutes(1), "ps", "--all", "--quiet", "--filter", $"label=com.docker.compose.project={Name}");
        foreach (var id in left.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await Docker.RunAsync(TimeSpan.FromMinutes(1), "rm", "--force", "--volumes", id);
        }
        var volumes = await Docker.RunAsync(TimeSpan.FromMinutes(1), "volume", "ls", "--quiet", "--filter", $"label=com.docker.compose.project={Name}");
        foreach (var volume in volumes.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await Docker.RunAsync(TimeSpan.FromMinutes(1), "volume", "rm", "--force", volume);
        }
        Directory.Delete(_directory, recursive: true);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^(?<name>[A-Z][A-Z0-9_]*)=$", RegexOptions.Multiline)]
    private static partial Regex RequiredVariable();

    [GeneratedRegex(@"^#?\s*(?<name>[A-Z][A-Z0-9_]*)=", RegexOptions.Multiline)]
    private static partial Regex AnyVariable();
}
