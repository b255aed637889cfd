using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace LearnApp.Hosting.Orchestration;

/// <summary>
/// One console line per resource instance as it comes up (with its PID, for attaching a debugger, and its URL),
/// one line per failure naming the fix, and one line once everything is up. Reads only the state service.
/// </summary>
internal sealed class ConsoleResourceReporter(ResourceNotificationService notifications, IHostApplicationLifetime lifetime) : BackgroundService
{
    private readonly Stopwatch _sinceStart = Stopwatch.StartNew();
    private readonly Dictionary<string, string> _printed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sourcesPrinted = new(StringComparer.Ordinal);
    private bool _allUpPrinted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var resourceEvent in notifications.WatchAsync(stoppingToken))
            {
                Report(resourceEvent.Snapshot);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Report(ResourceSnapshot snapshot)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Shutdown is reported by the orchestrator in one line, not one per resource.
            return;
        }
        if (snapshot.Source is { } source && _sourcesPrinted.Add(snapshot.ResourceName))
        {
            Console.WriteLine($"{snapshot.ResourceName}: {source}");
        }

        var key = snapshot.State switch
        {
            KnownResourceStates.Running when snapshot.HealthStatus == HealthStatus.Healthy => "up",
            KnownResourceStates.Running when _printed.GetValueOrDefault(snapshot.InstanceId) == "up" => "unhealthy",
            KnownResourceStates.Running when snapshot.Error is not null => "error",
            KnownResourceStates.Finished or KnownResourceStates.Exited or KnownResourceStates.FailedToStart => snapshot.State,
            _ => null,
        };
        if (key is null || _printed.GetValueOrDefault(snapshot.InstanceId) == key)
        {
            return;
        }
        _printed[snapshot.InstanceId] = key;
        Console.WriteLine(FormatLine(snapshot));

        if (!_allUpPrinted)
        {
            var all = notifications.GetCurrentSnapshots();
            if (all.All(s => _printed.ContainsKey(s.InstanceId) && (ResourceNotificationService.IsRunningAndHealthy(s) || KnownResourceStates.IsTerminal(s.State))))
            {
                _allUpPrinted = true;
                var failed = all.Count(s => s.State == KnownResourceStates.FailedToStart || s.State == KnownResourceStates.Exited);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(failed == 0 ? "all resources are up" : $"{all.Count - failed} of {all.Count} resources are up")} after {_sinceStart.Elapsed.TotalSeconds:F1} s. Press Ctrl+C to stop."));
            }
        }
    }

    private static string FormatLine(ResourceSnapshot s)
    {
        var state = s.State == KnownResourceStates.Running ? $"Running {s.HealthStatus}" : s.State;
        var parts = new List<string> { $"  {s.InstanceId,-22} {state,-16}" };
        if (s.ExitCode is { } exitCode)
        {
            parts.Add($"exit code {exitCode}");
        }
        if (s.ProcessId is { } pid && s.State == KnownResourceStates.Running)
        {
            parts.Add($"pid {pid}");
        }
        if (s.State == KnownResourceStates.Running && s.Urls.Length > 0)
        {
            parts.Add(string.Join(' ', s.Urls) + (s.ReplicaCount > 1 ? $" (replica {s.ReplicaIndex + 1} of {s.ReplicaCount} on {string.Join(' ', s.InstanceUrls)})" : ""));
        }
        if (s.Error is { } error)
        {
            parts.Add($"error: {s.ResourceName}: {error}");
        }
        return string.Join("  ", parts);
    }
}
