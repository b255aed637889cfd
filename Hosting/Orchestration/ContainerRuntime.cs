using LearnApp.Hosting.Orchestration.Processes;

namespace LearnApp.Hosting.Orchestration;

/// <summary>Whether a container runtime answers (<c>docker info</c>), asked once per run and only if the model has containers.</summary>
internal static class ContainerRuntime
{
    public static async Task<(bool Available, string Reason)> DetectAsync(CancellationToken cancellationToken)
    {
        if (NodeTooling.FindOnPath("docker") is null)
        {
            return (false, "docker is not installed");
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var info = await ProcessRunner.RunToCompletionAsync(new ProcessSpec("docker") { Arguments = ["info", "--format", "{{.ServerVersion}}"] }, timeout.Token);
            return info.ExitCode == 0 ? (true, $"docker {info.Output.Trim()} answers") : (false, "'docker info' failed: the daemon is not running");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, "'docker info' did not answer within 3 s");
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
