using System.Net;
using LearnApp.Hosting.Orchestration.Network;
using LearnApp.Hosting.Orchestration.Processes;
using LearnApp.Testing;

namespace LearnApp.Api.Tests;

/// <summary>What the AppHost relies on: the SPA in the single topology, and the JWT key rules.</summary>
public sealed class HostingContractTests(PostgresServerFixture postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheBuiltSpaIsServedWithClientRoutesFallingBackToIndexButApiPathsNever()
    {
        var dist = TestWorkDirectory.Create("spa");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dist, "index.html"), "<!doctype html><title>LearnApp</title>", Cancel);
            await File.WriteAllTextAsync(Path.Combine(dist, "app.js"), "console.log('learnapp')", Cancel);
            await using var api = ApiFactory.ForPostgres(await postgres.CreateDatabaseAsync("spa"), ("Frontend:DistPath", dist));
            await api.MigrateAsync();
            using var client = api.CreateClient();

            var root = await client.GetStringAsync(new Uri("/", UriKind.Relative), Cancel);
            var script = await client.GetStringAsync(new Uri("/app.js", UriKind.Relative), Cancel);
            var clientRoute = await client.GetStringAsync(new Uri("/study/deck/1", UriKind.Relative), Cancel);
            var unknownApi = await client.GetAsync(new Uri("/api/v1/nothing-here", UriKind.Relative), Cancel);

            Assert.Contains("<title>LearnApp</title>", root, StringComparison.Ordinal);
            Assert.Contains("learnapp", script, StringComparison.Ordinal);
            Assert.Contains("<title>LearnApp</title>", clientRoute, StringComparison.Ordinal);
            await ProblemAssert.IsProblemAsync(unknownApi, HttpStatusCode.NotFound);
        }
        finally
        {
            TestWorkDirectory.Delete(dist);
        }
    }

    [Fact]
    public async Task WithoutAConfiguredKeyDevelopmentSignsWithAnEphemeralKey()
    {
        await using var api = new ApiFactory(new Dictionary<string, string?> { ["ConnectionStrings:db"] = await postgres.CreateDatabaseAsync("ephemeral") });
        await api.MigrateAsync();

        var (client, _) = await api.CreateUserClientAsync();
        var me = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task OutsideDevelopmentAMissingKeyStopsTheApiFromStartingWithOneLine()
    {
        var result = await ProcessRunner.RunToCompletionAsync(new ProcessSpec("dotnet")
        {
            Arguments = [typeof(Program).Assembly.Location],
            WorkingDirectory = AppContext.BaseDirectory,
            Environment = new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Pick()}",
                ["ConnectionStrings__db"] = await postgres.CreateDatabaseAsync("nokey"),
            },
        }, Cancel);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("api cannot start: Jwt:SigningKey (env Jwt__SigningKey) is required outside Development.", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Output, StringComparison.Ordinal);
        // Nor the host's own "Hosting failed to start" entry with the stack trace before it.
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }
}
