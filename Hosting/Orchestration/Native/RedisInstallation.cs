using System.Globalization;
using LearnApp.Hosting.Orchestration.Processes;

namespace LearnApp.Hosting.Orchestration.Native;

/// <summary>A <c>redis-server</c> installed on this machine (Debian's <c>redis-server</c> package).</summary>
public sealed class RedisInstallation
{
    public const string ServerPathVariable = "LEARNAPP_REDIS_SERVER";

    private RedisInstallation(string serverPath) => ServerPath = serverPath;

    public string ServerPath { get; }

    public static RedisInstallation? Find()
    {
        if (Environment.GetEnvironmentVariable(ServerPathVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? new RedisInstallation(configured) : null;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);
        return onPath is null ? null : new RedisInstallation(onPath);
    }

    public static RedisInstallation FindOrThrow() => Find() ?? throw new InvalidOperationException(
        $"redis-server is not installed: install Debian's 'redis-server' package or set {ServerPathVariable}.");

    /// <summary>
    /// The spec of a server on 127.0.0.1:<paramref name="port"/>. With <paramref name="persistent"/> it keeps an
    /// append-only file in <paramref name="dataDirectory"/>; otherwise it keeps nothing on disk.
    /// </summary>
    public ProcessSpec CreateServerSpec(int port, string dataDirectory, bool persistent, string? password = null)
    {
        Directory.CreateDirectory(dataDirectory);
        List<string> arguments =
        [
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", dataDirectory,
            "--daemonize", "no",
            "--save", "",
            "--appendonly", persistent ? "yes" : "no",
        ];
        if (persistent)
        {
            arguments.AddRange(["--appendfsync", "everysec"]);
        }

        if (password is not null)
        {
            // A config file rather than --requirepass, so the password never shows up in `ps`.
            var configFile = Path.Combine(dataDirectory, "redis.conf");
            SecretFile.Write(configFile, $"requirepass \"{password}\"\n");
            arguments.Insert(0, configFile);
        }

        return new ProcessSpec(ServerPath) { Arguments = arguments };
    }
}
