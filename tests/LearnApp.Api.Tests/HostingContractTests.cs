using System.Net;
using Microsoft.AspNetCore.Hosting;
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
    public async Task OutsideDevelopmentAMissingKeyStopsTheApiFromStarting()
    {
        await using var api = new ProductionApiFactory(await postgres.CreateDatabaseAsync("nokey"));

        var error = Assert.ThrowsAny<Exception>(() => api.CreateClient());

        Assert.Contains("Jwt:SigningKey", error.GetBaseException().Message, StringComparison.Ordinal);
    }

    private sealed class ProductionApiFactory(string connectionString) : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:db", connectionString);
        }
    }
}
