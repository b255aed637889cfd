using System.Globalization;
using System.Text;
using LearnApp.Hosting.Orchestration;
using LearnApp.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Hosting.Tests.Orchestration;

/// <summary>A real run-mode app inside the test process: real processes, real ports, stopped at dispose.</summary>
internal sealed class OrchestratedApp : IAsyncDisposable
{
    private OrchestratedApp(DistributedApplication app)
    {
        App = app;
        Notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        Logs = app.Services.GetRequiredService<ResourceLoggerService>();
    }

    public DistributedApplication App { get; }

    public ResourceNotificationService Notifications { get; }

    public ResourceLoggerService Logs { get; }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string TestServiceProject { get; } =
        Path.Combine(RepositoryRoot, "tests", "LearnApp.Hosting.TestService", "LearnApp.Hosting.TestService.csproj");

    /// <summary>A builder over a throwaway AppHost folder, running prebuilt projects (the test build built them).</summary>
    public static IDistributedApplicationBuilder CreateBuilder(params string[] args) => DistributedApplication.CreateBuilder(new DistributedApplicationOptions
    {
        // Port 0: every test app gets its own dashboard port, so tests run side by side. PostgreSQL and Redis run
        // natively unless a test asks for containers (ContainerBackingServiceTests): later args win.
        Args = ["--AppHost:BuildProjects=false", "--Dashboard:Port=0", "--AppHost:ContainerRuntime=none", .. args],
        ProjectDirectory = TestWorkDirectory.Create("apphost"),
        ApplicationName = "LearnApp.Hosting.Tests",
    });

    public static async Task<OrchestratedApp> StartAsync(IDistributedApplicationBuilder builder)
    {
        var app = new OrchestratedApp(builder.Build());
        await app.App.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    public ResourceSnapshot Single(string resourceName) => Assert.Single(Notifications.GetInstances(resourceName));

    /// <summary>Waits on the state stream until <paramref name="condition"/> holds; on timeout shows every snapshot.</summary>
    public async Task WaitUntilAsync(Func<OrchestratedApp, bool> condition, string what, int timeoutSeconds = 60)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await foreach (var _ in Notifications.WatchAsync(timeout.Token))
            {
                if (condition(this))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
        }
        Assert.Fail($"timed out waiting until {what}:\n{Describe()}");
    }

    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var s in Notifications.GetCurrentSnapshots())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{s.InstanceId}: {s.State} {s.HealthStatus} exit={s.ExitCode} error={s.Error}");
            foreach (var line in Logs.GetLines(s.InstanceId).TakeLast(5))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {line.Content}");
            }
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LearnApp.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Could not find LearnApp.sln above the test assembly.");
    }
}
