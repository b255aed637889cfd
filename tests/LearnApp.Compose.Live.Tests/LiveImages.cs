namespace LearnApp.Compose.Live.Tests;

/// <summary>
/// Once per test run: installs and starts the Docker engine when missing, builds the local base images and the
/// service images (deploy/images/build-service-images.sh; unchanged ones come from the layer cache). The images stay
/// cached after the run on purpose: rebuilding the .NET and npm restores from nothing would cost CI minutes each time;
/// every container, network and volume a test makes is removed.
/// </summary>
public sealed class LiveImages : IAsyncLifetime
{
    public const string SkipVariable = "LEARNAPP_SKIP_DOCKER";

    public static bool SkipRequested => Environment.GetEnvironmentVariable(SkipVariable) == "1";

    public static readonly string[] ServiceImages = ["learnapp-api:latest", "frontend:latest"];

    public static readonly string[] DataImages = ["docker.io/library/postgres:17.6", "docker.io/library/redis:8.2"];

    public string BuildLog { get; private set; } = string.Empty;

    public TimeSpan BuildTime { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (SkipRequested)
        {
            return;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await CommandLine.RunAsync("bash", [Path.Combine(Repository.Root, "deploy", "images", "build-service-images.sh")], TimeSpan.FromMinutes(30));
        result.EnsureSuccess();
        BuildTime = clock.Elapsed;
        BuildLog = result.Error;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static void SkipIfRequested() =>
        Assert.SkipWhen(SkipRequested, $"{SkipVariable}=1: the Docker suite was skipped on purpose.");
}
