using LearnApp.Hosting.Orchestration.Processes;
using LearnApp.Testing;

namespace LearnApp.Hosting.Tests.Orchestration;

[Collection(nameof(OrchestratorTests))]
public sealed class TeardownTests
{
    [Fact]
    public async Task SigtermStopsEveryResourceProcessWithinFiveSeconds()
    {
        await using var host = await StartTestAppHostAsync();
        var pids = host.ResourcePids;

        host.Process.Signal(UnixSignal.Terminate);

        foreach (var pid in pids)
        {
            Assert.True(await ProcessTable.WaitUntilGoneAsync(pid, TimeSpan.FromSeconds(5)), $"process {pid} outlived the stop:\n{host.Output}");
        }
        Assert.Equal(0, await host.Process.Exited.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Contains("stopped in", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigkillOfTheAppHostLeavesNoProcessBehind()
    {
        await using var host = await StartTestAppHostAsync();
        var pids = host.ResourcePids;

        host.Process.Signal(UnixSignal.Kill);

        foreach (var pid in pids)
        {
            Assert.True(await ProcessTable.WaitUntilGoneAsync(pid, TimeSpan.FromSeconds(10)), $"process {pid} outlived its killed AppHost:\n{host.Output}");
        }
    }

    private static async Task<AppHostProcess> StartTestAppHostAsync()
    {
        var localState = TestWorkDirectory.Create("teardown");
        var host = await AppHostProcess.StartAsync(
            AppHostProcess.BuiltAssembly(Path.Combine("tests", "LearnApp.Hosting.TestAppHost"), "LearnApp.Hosting.TestAppHost"),
            ["--AppHost:BuildProjects=false", "--AppHost:ContainerRuntime=none", $"--AppHost:LocalStateDirectory={localState}"],
            new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Development" });
        await host.WaitUntilUpAsync();
        // postgres, redis, two service replicas and the sleeper.
        Assert.True(host.ResourcePids.Count == 5, $"expected 5 resource processes:\n{host.Output}");
        Assert.All(host.ResourcePids, pid => Assert.True(ProcessTable.IsRunning(pid)));
        return host;
    }
}
