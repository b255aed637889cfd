using System.Collections.Immutable;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LearnApp.Hosting.Orchestration;

/// <summary>Aspire's state names, shown as they are by the console and the dashboard.</summary>
public static class KnownResourceStates
{
    public const string NotStarted = "NotStarted";
    public const string Waiting = "Waiting";
    public const string Starting = "Starting";
    public const string Running = "Running";
    public const string FailedToStart = "FailedToStart";
    public const string Stopping = "Stopping";
    public const string Exited = "Exited";
    public const string Finished = "Finished";

    public static bool IsTerminal(string state) => state is FailedToStart or Exited or Finished;
}

/// <summary>
/// The observable state of one resource instance (a replica, or the resource itself when it has one instance).
/// Immutable: every change publishes a new snapshot.
/// </summary>
public sealed record ResourceSnapshot
{
    public required string ResourceName { get; init; }

    /// <summary>Unique per replica (<c>api-3fk2m9qa</c>); also <c>service.instance.id</c> in telemetry.</summary>
    public required string InstanceId { get; init; }

    /// <summary><c>Project</c>, <c>Executable</c>, <c>Container</c>, <c>PostgresDatabase</c>…</summary>
    public required string ResourceType { get; init; }

    public string State { get; init; } = KnownResourceStates.NotStarted;

    /// <summary>Null unless Running: Healthy when every health check passes (or there are none).</summary>
    public HealthStatus? HealthStatus { get; init; }

    public int? ExitCode { get; init; }

    public int? ProcessId { get; init; }

    public int ReplicaIndex { get; init; }

    public int ReplicaCount { get; init; } = 1;

    /// <summary>The stable URLs others use (the proxy's, for replicas).</summary>
    public ImmutableArray<string> Urls { get; init; } = [];

    /// <summary>Where this instance itself listens, when that differs from <see cref="Urls"/>.</summary>
    public ImmutableArray<string> InstanceUrls { get; init; } = [];

    /// <summary>Variable names and values, with secret values masked.</summary>
    public ImmutableArray<KeyValuePair<string, string>> EnvironmentVariables { get; init; } = [];

    /// <summary>How the resource runs, e.g. "native PostgreSQL 15 (/usr/lib/postgresql/15/bin)".</summary>
    public string? Source { get; init; }

    /// <summary>Why it failed, naming the fix, in one line.</summary>
    public string? Error { get; init; }

    public DateTimeOffset? StartTimestamp { get; init; }

    public DateTimeOffset? StopTimestamp { get; init; }

    /// <summary>When the health status last became Healthy.</summary>
    public DateTimeOffset? HealthyTimestamp { get; init; }

    public int HealthProbeCount { get; init; }
}

public sealed record ResourceEvent(ResourceSnapshot Snapshot);
