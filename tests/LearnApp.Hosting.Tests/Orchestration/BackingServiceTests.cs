using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Orchestration;
using LearnApp.Testing;
using Npgsql;
using StackExchange.Redis;

namespace LearnApp.Hosting.Tests.Orchestration;

[Collection(nameof(OrchestratorTests))]
public sealed class BackingServiceTests
{
    [Fact]
    public async Task DataVolumesKeepPostgresAndRedisDataAcrossRestarts()
    {
        var appHostDirectory = TestWorkDirectory.Create("volumes");
        var table = $"kept_{Guid.NewGuid():N}";

        await using (var first = await StartAsync(appHostDirectory))
        {
            await ExecuteAsync(await ConnectionStringAsync(first, "db"), $"CREATE TABLE {table} (id int); INSERT INTO {table} VALUES (42);");
            await using var redis = await ConnectionMultiplexer.ConnectAsync(await ConnectionStringAsync(first, "cache"));
            await redis.GetDatabase().StringSetAsync(table, "kept");
        }

        await using var second = await StartAsync(appHostDirectory);
        Assert.Equal(42, await ExecuteAsync(await ConnectionStringAsync(second, "db"), $"SELECT id FROM {table}"));
        await using var reconnected = await ConnectionMultiplexer.ConnectAsync(await ConnectionStringAsync(second, "cache"));
        Assert.Equal("kept", (string?)await reconnected.GetDatabase().StringGetAsync(table));
        Assert.Contains("data kept in", second.Single("postgres").Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutADataVolumeTheDataFolderIsRemovedAtStop()
    {
        var builder = OrchestratedApp.CreateBuilder();
        builder.AddRedis("cache");
        string? folder;
        await using (var app = await OrchestratedApp.StartAsync(builder))
        {
            await app.WaitUntilAsync(a => ResourceNotificationService.IsRunningAndHealthy(a.Single("cache")), "cache is up");
            Assert.Contains("discarded at stop", app.Single("cache").Source, StringComparison.Ordinal);
            folder = Directory.GetDirectories(Path.Combine(builder.AppHostDirectory, ".local", "run")).Single();
        }

        Assert.False(Directory.Exists(folder));
    }

    private static async Task<OrchestratedApp> StartAsync(string appHostDirectory)
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = ["--AppHost:BuildProjects=false", "--AppHost:ContainerRuntime=none"],
            ProjectDirectory = appHostDirectory,
            ApplicationName = "LearnApp.Hosting.Tests",
        });
        builder.AddPostgres("postgres").WithDataVolume().AddDatabase("db");
        builder.AddRedis("cache").WithDataVolume();
        var app = await OrchestratedApp.StartAsync(builder);
        await app.WaitUntilAsync(a => ResourceNotificationService.IsRunningAndHealthy(a.Single("db"))
            && ResourceNotificationService.IsRunningAndHealthy(a.Single("cache")), "db and cache are up");
        return app;
    }

    private static async Task<string> ConnectionStringAsync(OrchestratedApp app, string name) =>
        await app.App.Model.Resources.OfType<IResourceWithConnectionString>().Single(r => r.Name == name)
            .ConnectionStringExpression.GetValueAsync() ?? throw new InvalidOperationException($"{name} has no connection string");

    private static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
