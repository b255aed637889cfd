using System.Globalization;

namespace LearnApp.Compose.Live.Tests;

/// <summary>One container as <c>docker inspect</c> sees it.</summary>
internal sealed record ContainerState(
    string Id,
    string Service,
    string Hostname,
    string Status,
    string Health,
    int ExitCode,
    int RestartCount,
    string StartedAt)
{
    public bool IsRunning => Status == "running";

    public bool IsHealthy => Health == "healthy";
}

/// <summary>The Docker CLI: Debian's client, which speaks the daemon's API version and has the classic builder.</summary>
internal static class Docker
{
    public static string Cli { get; } = File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : "docker";

    public static Task<CommandResult> RunAsync(TimeSpan timeout, params string[] arguments) =>
        CommandLine.RunAsync(Cli, arguments, timeout);

    public static async Task<string> OutputAsync(params string[] arguments) =>
        (await RunAsync(TimeSpan.FromMinutes(2), arguments)).EnsureSuccess().Output.Trim();

    public static async Task<IReadOnlyList<ContainerState>> InspectAsync(IEnumerable<string> ids)
    {
        var list = ids.ToList();
        if (list.Count == 0)
        {
            return [];
        }
        // "index .State", not ".State.Health": a container with no health check (the migrator) has no such key,
        // and Docker 20.10 then fails the whole inspect.
        const string Format =
            "{{.Id}}|{{index .Config.Labels \"com.docker.compose.service\"}}|{{.Config.Hostname}}|{{.State.Status}}|" +
            "{{with index .State \"Health\"}}{{.Status}}{{end}}|{{.State.ExitCode}}|{{.RestartCount}}|{{.State.StartedAt}}";
        var output = await OutputAsync(["inspect", "--format", Format, .. list]);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var f = line.Split('|');
            return new ContainerState(f[0], f[1], f[2], f[3], f[4],
                int.Parse(f[5], CultureInfo.InvariantCulture), int.Parse(f[6], CultureInfo.InvariantCulture), f[7]);
        })];
    }

    /// <summary>The numeric user a container's main process runs as (<c>id -u</c> inside it).</summary>
    public static async Task<int> UserIdInsideAsync(string containerId) =>
        int.Parse(await OutputAsync("exec", containerId, "id", "-u"), CultureInfo.InvariantCulture);

    /// <summary>The image's size in bytes, as <c>docker image ls</c> reports it.</summary>
    public static async Task<long> ImageSizeAsync(string image) =>
        long.Parse(await OutputAsync("image", "inspect", "--format", "{{.Size}}", image), CultureInfo.InvariantCulture);

    /// <summary>
    /// The HTTP status of GET /health inside a .NET service's container, spoken over bash's /dev/tcp like its health
    /// check (the port is not published); 0 when nothing answers.
    /// </summary>
    public static async Task<int> HealthStatusInsideAsync(string containerId)
    {
        const string Script =
            "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3";
        var result = await RunAsync(TimeSpan.FromSeconds(30), "exec", containerId, "bash", "-c", Script);
        var parts = result.Output.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return result.ExitCode == 0 && parts.Length >= 2 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var status) ? status : 0;
    }

    /// <summary>Summed memory of the containers, from one <c>docker stats --no-stream</c>, in MiB.</summary>
    public static async Task<double> MemoryMiBAsync(IEnumerable<string> containerIds)
    {
        var output = await OutputAsync(["stats", "--no-stream", "--format", "{{.MemUsage}}", .. containerIds]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Sum(line => ParseMiB(line.Split('/')[0].Trim()));
    }

    internal static double ParseMiB(string size)
    {
        var units = new (string Suffix, double MiB)[] { ("GiB", 1024), ("MiB", 1), ("KiB", 1.0 / 1024), ("B", 1.0 / (1024 * 1024)) };
        foreach (var (suffix, mib) in units)
        {
            if (size.EndsWith(suffix, StringComparison.Ordinal))
            {
                return double.Parse(size[..^suffix.Length], CultureInfo.InvariantCulture) * mib;
            }
        }
        throw new FormatException($"Unknown memory size '{size}'.");
    }
}
