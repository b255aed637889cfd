using System.Net;
using System.Net.Sockets;
using LearnApp.Hosting.Orchestration;
using LearnApp.Testing;

namespace LearnApp.Hosting.Tests.Orchestration;

[Collection(nameof(OrchestratorTests))]
public sealed class ResourceErrorTests
{
    [Fact]
    public async Task ABuildErrorFailsOnlyThatProjectAndNamesTheError()
    {
        var broken = TestWorkDirectory.Create("broken-project");
        await File.WriteAllTextAsync(Path.Combine(broken, "Broken.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>
            </Project>
            """, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(broken, "Program.cs"), "this is not C#", TestContext.Current.CancellationToken);
        var builder = OrchestratedApp.CreateBuilder("--AppHost:BuildProjects=true");
        builder.AddProject("broken", Path.Combine(broken, "Broken.csproj"));
        builder.AddProject("service", OrchestratedApp.TestServiceProject).WithHttpHealthCheck("/health");
        await using var app = await OrchestratedApp.StartAsync(builder);

        await app.WaitUntilAsync(a => KnownResourceStates.IsTerminal(a.Single("broken").State)
            && ResourceNotificationService.IsRunningAndHealthy(a.Single("service")), "broken failed and service runs", timeoutSeconds: 120);

        var failed = app.Single("broken");
        Assert.Equal(KnownResourceStates.FailedToStart, failed.State);
        Assert.StartsWith("build failed: ", failed.Error, StringComparison.Ordinal);
        Assert.Contains("error CS", failed.Error, StringComparison.Ordinal);
        Assert.Contains("Program.cs", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFixedPortInUseFailsTheResourceAndSaysHowToFreeIt()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var builder = OrchestratedApp.CreateBuilder();
        builder.AddExecutable("web", "/bin/sh", ".", "-c", "exec sleep 30").WithHttpEndpoint(port: port);
        builder.AddExecutable("other", "/bin/sh", ".", "-c", "exec sleep 30");
        await using var app = await OrchestratedApp.StartAsync(builder);

        await app.WaitUntilAsync(a => a.Single("web").State == KnownResourceStates.FailedToStart
            && a.Single("other").State == KnownResourceStates.Running, "web failed and other runs");

        Assert.Contains($"port {port} of endpoint 'http' is in use", app.Single("web").Error, StringComparison.Ordinal);
        Assert.Null(app.Single("web").ProcessId);
    }

    [Fact]
    public async Task AMissingProgramFailsWithItsName()
    {
        var builder = OrchestratedApp.CreateBuilder();
        builder.AddExecutable("ghost", "learnapp-no-such-program", ".");
        await using var app = await OrchestratedApp.StartAsync(builder);

        await app.WaitUntilAsync(a => KnownResourceStates.IsTerminal(a.Single("ghost").State), "ghost ended");

        Assert.Equal(KnownResourceStates.FailedToStart, app.Single("ghost").State);
        Assert.Contains("'learnapp-no-such-program' could not be started", app.Single("ghost").Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidParameterFailsOnlyTheResourcesThatUseIt()
    {
        var builder = OrchestratedApp.CreateBuilder("--Parameters:jwt-key=");
        var jwtKey = builder.AddParameter("jwt-key", secret: true);
        builder.AddProject("api", OrchestratedApp.TestServiceProject).WithEnvironment("Jwt__SigningKey", jwtKey);
        builder.AddProject("worker", OrchestratedApp.TestServiceProject).WithHttpHealthCheck("/health");
        await using var app = await OrchestratedApp.StartAsync(builder);

        await app.WaitUntilAsync(a => KnownResourceStates.IsTerminal(a.Single("api").State)
            && ResourceNotificationService.IsRunningAndHealthy(a.Single("worker")), "api failed and worker runs");

        Assert.Equal(KnownResourceStates.FailedToStart, app.Single("api").State);
        Assert.Contains("Parameter 'jwt-key' is empty: set configuration 'Parameters:jwt-key'", app.Single("api").Error, StringComparison.Ordinal);
    }
}
