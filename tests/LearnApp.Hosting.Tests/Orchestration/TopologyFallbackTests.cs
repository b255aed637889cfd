using System.Text.RegularExpressions;
using LearnApp.Hosting.Orchestration.Processes;
using LearnApp.Testing;

namespace LearnApp.Hosting.Tests.Orchestration;

[Collection(nameof(OrchestratorTests))]
public sealed partial class TopologyFallbackTests
{
    [Fact]
    public async Task WithoutPostgresAndRedisTheRealAppHostFallsBackToTheSingleTopology()
    {
        var localState = TestWorkDirectory.Create("fallback");
        var path = string.Join(':', (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Where(dir => !File.Exists(Path.Combine(dir, "redis-server"))));
        await using var host = await AppHostProcess.StartAsync(
            AppHostProcess.BuiltAssembly("AppHost", "LearnApp.AppHost"),
            ["--topology", "auto", "--AppHost:BuildProjects=false", $"--AppHost:LocalStateDirectory={localState}"],
            new Dictionary<string, string?>
            {
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["PATH"] = path,
                ["LEARNAPP_POSTGRES_BIN"] = "/nonexistent/postgresql/bin",
                ["LEARNAPP_REDIS_SERVER"] = "/nonexistent/redis-server",
                // The Api inherits this: its SQLite file stays in the throwaway folder.
                ["ConnectionStrings__sqlite"] = $"Data Source={Path.Combine(localState, "learnapp.db")}",
            });

        await host.WaitUntilUpAsync();

        Assert.Contains("topology single (auto: PostgreSQL", host.Output, StringComparison.Ordinal);
        Assert.Contains("redis-server (install 'redis-server'", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("postgres:", host.Output, StringComparison.Ordinal);
        var api = ApiLine().Match(host.Output);
        Assert.True(api.Success, host.Output);
        using var http = new HttpClient();
        Assert.Equal("Healthy", await http.GetStringAsync($"{api.Groups["url"].Value}/health", TestContext.Current.CancellationToken));

        host.Process.Signal(UnixSignal.Terminate);
        Assert.Equal(0, await host.Process.Exited.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.True(await ProcessTable.WaitUntilGoneAsync(int.Parse(api.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(5)));
    }

    [GeneratedRegex(@"api-\w+\s+Running Healthy\s+pid (?<pid>\d+)\s+(?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ApiLine();
}
