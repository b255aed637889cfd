using System.Globalization;
using LearnApp.Hosting.Orchestration.Processes;

namespace LearnApp.Hosting.Orchestration.Containers;

/// <summary>Whether a container runtime answers (<c>docker info</c>), asked once per run and only if the model has containers.</summary>
internal sealed record ContainerRuntimeStatus(bool Available, string Description);

/// <summary>The docker CLI: is it there, is an image local, and which of our containers were left by a killed AppHost.</summary>
internal static class ContainerRuntime
{
    /// <summary>Every container an AppHost starts carries these, so a later start can find the ones it left behind.</summary>
    public const string OwnerPidLabel = "learnapp.apphost.pid";
    public const string ResourceLabel = "learnapp.apphost.resource";

    public static async Task<ContainerRuntimeStatus> DetectAsync(CancellationToken cancellationToken)
    {
        if (NodeTooling.FindOnPath("docker") is null)
        {
            return new(false, "docker is not installed");
        }
        var info = await DockerAsync(["info", "--format", "{{.ServerVersion}}"], TimeSpan.FromSeconds(3), cancellationToken);
        return info switch
        {
            null => new(false, "'docker info' did not answer within 3 s"),
            { ExitCode: 0 } => new(true, $"docker {info.Output.Trim()}"),
            _ => new(false, "'docker info' failed: the daemon is not running"),
        };
    }

    public static async Task<bool> HasImageAsync(string image, CancellationToken cancellationToken) =>
        await DockerAsync(["image", "inspect", "--format", "{{.Id}}", image], TimeSpan.FromSeconds(5), cancellationToken) is { ExitCode: 0 };

    /// <summary>Removes containers whose AppHost is gone (killed before it could remove them itself).</summary>
    public static async Task RemoveAbandonedAsync(CancellationToken cancellationToken)
    {
        var list = await DockerAsync(
            ["ps", "-a", "--filter", $"label={OwnerPidLabel}", "--format", $"{{{{.ID}}}} {{{{.Label \"{OwnerPidLabel}\"}}}}"],
            TimeSpan.FromSeconds(5), cancellationToken);
        if (list is not { ExitCode: 0 })
        {
            return;
        }
        var abandoned = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var owner)
                && !Directory.Exists($"/proc/{owner}"))
            .Select(parts => parts[0])
            .ToList();
        if (abandoned.Count > 0)
        {
            await DockerAsync(["rm", "-f", "-v", .. abandoned], TimeSpan.FromSeconds(20), cancellationToken);
        }
    }

    private static async Task<ProcessResult?> DockerAsync(IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            return await ProcessRunner.RunToCompletionAsync(new ProcessSpec("docker") { Arguments = arguments }, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}

/// <summary>A container resource that needs a runtime nobody provides here.</summary>
internal sealed class UnavailableContainerRun(ApplicationModel.ContainerResource container, OrchestrationContext context, string reason)
    : ResourceRun(container, context, "Container")
{
    public override void AllocateEndpoints(PortAllocator ports) => BackingServicePorts.Allocate(this, ports);

    protected override Task StartAsync(CancellationToken stopping) => throw new ResourceStartException(
        $"needs a container runtime to run {container.Image?.FullName ?? "its image"} ({reason}): install and start Docker");

    public override Task StopAsync(TimeSpan timeout) => Task.CompletedTask;
}
