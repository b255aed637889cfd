using System.Globalization;
using LearnApp.Hosting.Orchestration.Processes;

namespace LearnApp.Hosting.Orchestration.Native;

/// <summary>
/// A PostgreSQL server installed on this machine (Debian's <c>postgresql</c> package), used where Aspire would run
/// the postgres container. <c>initdb</c> and <c>postgres</c> refuse to run as root, so as root they run as the
/// package's <c>postgres</c> user.
/// </summary>
public sealed class PostgresInstallation
{
    public const string BinDirectoryVariable = "LEARNAPP_POSTGRES_BIN";
    private const string ServiceUser = "postgres";

    private PostgresInstallation(string binDirectory) => BinDirectory = binDirectory;

    public string BinDirectory { get; }

    /// <summary>The user the server runs as when this process is root; null when it runs as the current user.</summary>
    public static string? RunAsUser => NativeMethods.IsRoot ? ServiceUser : null;

    /// <summary>Finds the newest installed server, or returns null.</summary>
    public static PostgresInstallation? Find()
    {
        if (Environment.GetEnvironmentVariable(BinDirectoryVariable) is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "postgres")) ? new PostgresInstallation(configured) : null;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(dir => (dir, version: int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(candidate => candidate.version > 0 && File.Exists(Path.Combine(candidate.dir, "bin", "initdb")))
                .OrderByDescending(candidate => candidate.version)
                .Select(candidate => Path.Combine(candidate.dir, "bin"))
                .FirstOrDefault();
            if (newest is not null)
            {
                return new PostgresInstallation(newest);
            }
        }

        return null;
    }

    public static PostgresInstallation FindOrThrow() => Find() ?? throw new InvalidOperationException(
        $"PostgreSQL is not installed: install Debian's 'postgresql' package or set {BinDirectoryVariable}.");

    /// <summary>True once <paramref name="dataDirectory"/> holds an initialized cluster.</summary>
    public static bool IsInitialized(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, "PG_VERSION"));

    /// <summary>Creates a new cluster in <paramref name="dataDirectory"/> with a password-protected superuser.</summary>
    public async Task InitializeAsync(string dataDirectory, string superuser, string password, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(dataDirectory);
        var passwordFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataDirectory))!, $".pwfile-{Guid.NewGuid():N}");
        SecretFile.Write(passwordFile, password + "\n");
        try
        {
            await GiveToServiceUserAsync(dataDirectory, cancellationToken);
            await GiveToServiceUserAsync(passwordFile, cancellationToken);

            var result = await ProcessRunner.RunToCompletionAsync(new ProcessSpec(Path.Combine(BinDirectory, "initdb"))
            {
                Arguments =
                [
                    "--pgdata", dataDirectory, "--username", superuser, "--pwfile", passwordFile,
                    "--auth", "scram-sha-256", "--encoding", "UTF8", "--locale", "C.UTF-8", "--no-sync",
                ],
                RunAsUser = RunAsUser,
                Environment = new Dictionary<string, string?> { ["LC_ALL"] = "C.UTF-8" },
            }, cancellationToken);

            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"initdb failed with exit code {result.ExitCode}: {result.Output}");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>The spec of a server on 127.0.0.1:<paramref name="port"/> running in the foreground as a child.</summary>
    public ProcessSpec CreateServerSpec(string dataDirectory, int port, IReadOnlyDictionary<string, string>? settings = null)
    {
        List<string> arguments =
        [
            "-D", dataDirectory,
            "-p", port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1",
            // Keep the socket inside the cluster's folder so that clusters never clash in /var/run/postgresql.
            "-c", $"unix_socket_directories={dataDirectory}",
        ];
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            arguments.Add("-c");
            arguments.Add($"{name}={value}");
        }

        return new ProcessSpec(Path.Combine(BinDirectory, "postgres"))
        {
            Arguments = arguments,
            RunAsUser = RunAsUser,
            // SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to leave.
            StopSignal = UnixSignal.Interrupt,
            ParentDeathSignal = UnixSignal.Interrupt,
        };
    }

    private static async Task GiveToServiceUserAsync(string path, CancellationToken cancellationToken)
    {
        if (RunAsUser is not { } user)
        {
            return;
        }

        var result = await ProcessRunner.RunToCompletionAsync(
            new ProcessSpec("chown") { Arguments = ["-R", $"{user}:{user}", path] }, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not give '{path}' to user '{user}': {result.Output}");
        }
    }
}
