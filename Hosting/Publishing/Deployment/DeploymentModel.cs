using System.Text.Json.Nodes;

namespace LearnApp.Hosting.Publishing.Deployment;

/// <summary>Where the output goes: it decides how services reach each other's ports.</summary>
public enum DeploymentTarget
{
    Compose,
    Kubernetes,
}

public enum DeploymentResourceKind
{
    Project,
    Container,
}

public enum DeploymentWaitKind
{
    /// <summary>Until the dependency is healthy (or started, when it has no health check).</summary>
    Healthy,

    /// <summary>Until the dependency has run to completion successfully.</summary>
    Completed,
}

public sealed record DeploymentWait(string Resource, DeploymentWaitKind Kind);

/// <summary>How to tell that a service is healthy: an HTTP GET on one of its ports, or a command in its container.</summary>
public abstract record DeploymentHealthCheck;

public sealed record HttpHealthCheck(string Path, int Port) : DeploymentHealthCheck;

/// <summary>A shell command run in the container (exit 0 = healthy); <c>$VAR</c> are the container's own variables.</summary>
public sealed record CommandHealthCheck(string ShellCommand) : DeploymentHealthCheck;

public sealed record DeploymentPort(string Name, string Scheme, int Port, int TargetPort, bool External);

public sealed record DeploymentVolume(string Name, string Target, bool ReadOnly);

public sealed record DeploymentBindMount(string Source, string Target, bool ReadOnly);

/// <summary>The build of a container image: paths relative to the output folder.</summary>
public sealed record DeploymentBuild(string Context, string Dockerfile);

/// <summary>A parameter: never a value, only how a deployer gets one.</summary>
public sealed record DeploymentParameter(string Name, bool Secret, JsonObject? Generate, string? DefaultValue)
{
    public string VariableName => Name.ToUpperInvariant().Replace('-', '_');
}

/// <summary>One service to deploy: a project or container of the manifest with everything a target needs.</summary>
public sealed class DeploymentResource
{
    public required string Name { get; init; }

    public required DeploymentResourceKind Kind { get; init; }

    /// <summary>The container image; for projects a name derived from the project file, e.g. <c>learnapp-api</c>.</summary>
    public required string Image { get; init; }

    /// <summary>The variable that overrides <see cref="Image"/> for projects and builds (<c>LEARNAPP_API_IMAGE</c>).</summary>
    public string? ImageVariable { get; init; }

    public DeploymentBuild? Build { get; init; }

    public string? Entrypoint { get; init; }

    public IReadOnlyList<DeploymentValue> Args { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, DeploymentValue>> Environment { get; init; } = [];

    public IReadOnlyList<DeploymentPort> Ports { get; init; } = [];

    public IReadOnlyList<DeploymentVolume> Volumes { get; init; } = [];

    public IReadOnlyList<DeploymentBindMount> BindMounts { get; init; } = [];

    public int Replicas { get; init; } = 1;

    public IReadOnlyList<DeploymentWait> Waits { get; init; } = [];

    public DeploymentHealthCheck? HealthCheck { get; init; }

    /// <summary>Null for the default set; else the profile that adds it (<c>scaled</c>).</summary>
    public string? Profile { get; init; }

    /// <summary>Runs once to completion (something waits for its completion): no restart, no replicas.</summary>
    public bool RunsToCompletion { get; init; }

    /// <summary>The well-known image it runs, for defaults such as resource limits: postgres, redis or null.</summary>
    public string? WellKnownImage { get; init; }
}

/// <summary>Everything to deploy, plus what could not be known (said to the user, never silently guessed).</summary>
public sealed record DeploymentModel(
    IReadOnlyList<DeploymentResource> Resources,
    IReadOnlyList<DeploymentParameter> Parameters,
    IReadOnlyList<string> Warnings);
