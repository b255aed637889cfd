using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Orchestration.Containers;
using LearnApp.Hosting.Orchestration.Projects;
using Microsoft.Extensions.Hosting;

namespace LearnApp.Hosting.Orchestration;

/// <summary>
/// Run mode: turns the model into processes. Allocates every port first, builds the projects once, starts every
/// resource as soon as what it waits for is ready, and on shutdown stops them in reverse dependency order.
/// </summary>
internal sealed class ApplicationOrchestrator(
    DistributedApplicationModel model,
    DistributedApplicationExecutionContext executionContext,
    OrchestratorOptions options,
    IHostEnvironment environment,
    ResourceNotificationService notifications,
    ResourceLoggerService logs) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<IResource, ResourceRun> _runs = [];
    private Task _running = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.LocalStateDirectory);
        LocalStateFolders.RemoveAbandoned(options.LocalStateDirectory);

        var projects = model.Resources.OfType<ProjectResource>().Select(p => p.ProjectPath).Distinct(StringComparer.Ordinal).ToList();
        var builder = new ProjectBuilder(Path.Combine(options.LocalStateDirectory, "build"), options.Configuration);
        var ports = new PortAllocator();
        var context = new OrchestrationContext
        {
            Stopping = _stopping.Token,
            Ports = ports,
            Model = model,
            ExecutionContext = executionContext,
            Options = options,
            Notifications = notifications,
            Logs = logs,
            EnvironmentName = environment.EnvironmentName,
            Runs = _runs,
            Build = new Lazy<Task<BuildResult>>(() => options.BuildProjects
                ? builder.BuildAsync(projects, line => logs.Write("build", line, isError: false), _stopping.Token)
                : builder.FindPrebuiltAsync(projects, _stopping.Token)),
        };

        var containers = model.Resources.OfType<ContainerResource>().ToList();
        var runtime = containers.Count == 0 ? new ContainerRuntimeStatus(false, "")
            : options.UseContainers ? await ContainerRuntime.DetectAsync(cancellationToken)
            : new ContainerRuntimeStatus(false, "AppHost:ContainerRuntime is none");
        if (runtime.Available)
        {
            await ContainerRuntime.RemoveAbandonedAsync(cancellationToken);
        }

        foreach (var resource in model.Resources)
        {
            ResourceRun? run = resource switch
            {
                ProjectResource or ExecutableResource => new ProcessResourceRun(resource, context),
                PostgresServerResource or RedisResource => await ChooseBackingServiceRunAsync((ContainerResource)resource, context, runtime, cancellationToken),
                PostgresDatabaseResource database => new PostgresDatabaseRun(database, context),
                ContainerResource container => new UnavailableContainerRun(container, context, runtime.Available ? "only PostgreSQL and Redis run as containers here" : runtime.Description),
                _ => null,
            };
            if (run is not null)
            {
                _runs[resource] = run;
                run.Register();
            }
        }

        foreach (var run in _runs.Values)
        {
            run.AllocateEndpoints(ports);
        }

        if (projects.Count > 0)
        {
            _ = context.Build.Value;
        }
        _running = Task.WhenAll(_runs.Values.Select(run => Task.Run(() => run.RunAsync(_stopping.Token), CancellationToken.None)));
    }

    /// <summary>A container where docker answers and the image is local, else the native server; the reason goes on its source line.</summary>
    private static async Task<ResourceRun> ChooseBackingServiceRunAsync(
        ContainerResource resource, OrchestrationContext context, ContainerRuntimeStatus runtime, CancellationToken cancellationToken)
    {
        var image = resource.Image?.FullName;
        string whyNative;
        if (!runtime.Available)
        {
            whyNative = runtime.Description;
        }
        else if (image is null || !await ContainerRuntime.HasImageAsync(image, cancellationToken))
        {
            whyNative = $"{runtime.Description} answers but image {image} is not local (deploy/images/build-base-images.sh builds it)";
        }
        else
        {
            return new ContainerServerRun(resource, context, runtime.Description);
        }
        return resource switch
        {
            PostgresServerResource postgres => new NativePostgresRun(postgres, context) { WhyNotContainer = whyNative },
            _ => new NativeRedisRun((RedisResource)resource, context) { WhyNotContainer = whyNative },
        };
    }

    /// <summary>True once the AppHost has begun to stop; commands are refused from then on.</summary>
    public bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>The run of the resource with this name, if run mode runs it.</summary>
    public ResourceRun? FindRun(string resourceName) =>
        _runs.Values.FirstOrDefault(run => string.Equals(run.Resource.Name, resourceName, StringComparison.Ordinal));

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        Console.WriteLine("stopping every resource, dependents first...");
        await _stopping.CancelAsync();
        var deadline = DateTimeOffset.UtcNow + options.StopTimeout - TimeSpan.FromMilliseconds(300);
        var levels = DependencyLevels();
        var stopTimes = new List<(string Resource, TimeSpan Took)>();
        // Dependents first: the frontend before the Api, the Api before its database, the database before the server.
        foreach (var (level, index) in levels.OrderByDescending(l => l.Key).Select((l, i) => (l, i)))
        {
            var remaining = deadline - DateTimeOffset.UtcNow;
            var timeout = TimeSpan.FromTicks(Math.Max(remaining.Ticks / (levels.Count - index), TimeSpan.FromMilliseconds(200).Ticks));
            await Task.WhenAll(level.Value.Select(async run =>
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await run.StopAsync(timeout);
                lock (stopTimes)
                {
                    stopTimes.Add((run.Resource.Name, System.Diagnostics.Stopwatch.GetElapsedTime(started)));
                }
            }));
        }
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // A start still in flight; its process is already stopped.
        }
        // Name what made a slow stop slow, so it can be looked at.
        var slowest = stopTimes.Where(t => t.Took > TimeSpan.FromMilliseconds(500)).OrderByDescending(t => t.Took).Take(3)
            .Select(t => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.Resource} {t.Took.TotalSeconds:F1} s")).ToList();
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"stopped in {stopwatch.Elapsed.TotalSeconds:F1} s{(slowest.Count > 0 ? $" (slowest: {string.Join(", ", slowest)})" : "")}"));
    }

    public void Dispose()
    {
        _stopping.Dispose();
        foreach (var run in _runs.Values)
        {
            run.Dispose();
        }
    }

    /// <summary>Level 0 needs nothing; every other resource sits one level above the highest thing it needs.</summary>
    private Dictionary<int, List<ResourceRun>> DependencyLevels()
    {
        var levels = new Dictionary<IResource, int>();
        int LevelOf(IResource resource, HashSet<IResource> visiting)
        {
            if (levels.TryGetValue(resource, out var known))
            {
                return known;
            }
            if (!visiting.Add(resource))
            {
                return 0;
            }
            var dependencies = resource.GetDependencies().Where(_runs.ContainsKey).ToList();
            var level = dependencies.Count == 0 ? 0 : dependencies.Max(d => LevelOf(d, visiting)) + 1;
            levels[resource] = level;
            return level;
        }
        return _runs.Values.GroupBy(run => LevelOf(run.Resource, [])).ToDictionary(g => g.Key, g => g.ToList());
    }
}
