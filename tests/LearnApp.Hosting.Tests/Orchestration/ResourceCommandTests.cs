using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Orchestration;
using LearnApp.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace LearnApp.Hosting.Tests.Orchestration;

[Collection(nameof(OrchestratorTests))]
public sealed class ResourceCommandTests
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task RestartingOneReplicaGoesThroughStoppingExitedStartingRunningAndTheProxyFollowsItsNewPort()
    {
        var builder = OrchestratedApp.CreateBuilder();
        var service = builder.AddProject("service", OrchestratedApp.TestServiceProject).WithReplicas(2).WithHttpHealthCheck("/health");
        await using var app = await OrchestratedApp.StartAsync(builder);
        await app.WaitUntilAsync(a => a.Notifications.GetInstances("service").All(ResourceNotificationService.IsRunningAndHealthy), "2 replicas are healthy");
        var before = app.Notifications.GetInstances("service");
        var restarted = before[0];
        using var states = StateRecorder.Start(app.Notifications, restarted.InstanceId);

        var result = await app.App.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteAsync("service", KnownResourceCommands.Restart, replica: 0, TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, result.Message);
        await app.WaitUntilAsync(a => a.Notifications.GetInstances("service").All(ResourceNotificationService.IsRunningAndHealthy), "both replicas are healthy again");
        var after = app.Notifications.GetInstances("service");
        Assert.Equal(
            [KnownResourceStates.Stopping, KnownResourceStates.Finished, KnownResourceStates.Starting, KnownResourceStates.Running],
            states.Distinct());
        Assert.NotEqual(restarted.ProcessId, after[0].ProcessId);
        Assert.True(await ProcessTable.WaitUntilGoneAsync(restarted.ProcessId!.Value, TimeSpan.FromSeconds(5)));
        Assert.NotEqual(restarted.InstanceUrls, after[0].InstanceUrls);
        Assert.Null(after[0].Error);
        Assert.Equal(before[1].ProcessId, after[1].ProcessId);

        // The stable URL reaches both replicas, the restarted one on its new port.
        var url = service.Resource.GetEndpoint("http").Url;
        var answeredBy = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            answeredBy.Add(await s_http.GetStringAsync($"{url}/whoami", TestContext.Current.CancellationToken));
        }
        Assert.Equal(after.Select(i => $"service.instance.id={i.InstanceId}").Order(), answeredBy.Order());
    }

    [Fact]
    public async Task AStoppedReplicaLeavesTheRotationSoTheStableUrlKeepsAnswering()
    {
        var builder = OrchestratedApp.CreateBuilder();
        var service = builder.AddProject("service", OrchestratedApp.TestServiceProject).WithReplicas(2).WithHttpHealthCheck("/health");
        await using var app = await OrchestratedApp.StartAsync(builder);
        await app.WaitUntilAsync(a => a.Notifications.GetInstances("service").All(ResourceNotificationService.IsRunningAndHealthy), "2 replicas are healthy");
        var commands = app.App.Services.GetRequiredService<ResourceCommandService>();

        var result = await commands.ExecuteAsync("service", KnownResourceCommands.Stop, replica: 1, TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, result.Message);
        var instances = app.Notifications.GetInstances("service");
        Assert.True(ResourceNotificationService.IsRunningAndHealthy(instances[0]));
        Assert.True(KnownResourceStates.IsTerminal(instances[1].State));
        var url = service.Resource.GetEndpoint("http").Url;
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal($"service.instance.id={instances[0].InstanceId}", await s_http.GetStringAsync($"{url}/whoami", TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task AStoppedResourceStaysStoppedUntilStartedAndCommandsInTheWrongStateAreRefused()
    {
        var builder = OrchestratedApp.CreateBuilder();
        var service = builder.AddProject("service", OrchestratedApp.TestServiceProject).WithHttpHealthCheck("/health");
        var postgres = builder.AddPostgres("postgres");
        postgres.AddDatabase("db");
        var cache = builder.AddRedis("cache");
        await using var app = await OrchestratedApp.StartAsync(builder);
        await app.WaitUntilAsync(a => a.Notifications.GetCurrentSnapshots().All(ResourceNotificationService.IsRunningAndHealthy), "everything is healthy");
        var commands = app.App.Services.GetRequiredService<ResourceCommandService>();
        var cancellationToken = TestContext.Current.CancellationToken;
        var url = service.Resource.GetEndpoint("http").Url;
        var firstPid = app.Single("service").ProcessId!.Value;

        Assert.True((await commands.ExecuteAsync("service", KnownResourceCommands.Stop, cancellationToken: cancellationToken)).Succeeded);
        var stopped = app.Single("service");
        Assert.Equal(KnownResourceStates.Finished, stopped.State);
        Assert.Null(stopped.Error);
        Assert.False(ProcessTable.IsRunning(firstPid));
        await Assert.ThrowsAsync<HttpRequestException>(() => s_http.GetStringAsync($"{url}/whoami", cancellationToken));
        Assert.Equal(ResourceCommandOutcome.InvalidState, (await commands.ExecuteAsync("service", KnownResourceCommands.Stop, cancellationToken: cancellationToken)).Outcome);

        Assert.True((await commands.ExecuteAsync("service", KnownResourceCommands.Start, cancellationToken: cancellationToken)).Succeeded);
        await app.WaitUntilAsync(a => ResourceNotificationService.IsRunningAndHealthy(a.Single("service")), "the service is healthy again");
        Assert.NotEqual(firstPid, app.Single("service").ProcessId);
        Assert.Equal($"service.instance.id={app.Single("service").InstanceId}", await s_http.GetStringAsync($"{url}/whoami", cancellationToken));
        Assert.Equal(ResourceCommandOutcome.InvalidState, (await commands.ExecuteAsync("service", KnownResourceCommands.Start, cancellationToken: cancellationToken)).Outcome);

        // A backing server restarts on its port; a database has no process to command.
        var redisPid = app.Single("cache").ProcessId;
        Assert.True((await commands.ExecuteAsync("cache", KnownResourceCommands.Restart, cancellationToken: cancellationToken)).Succeeded);
        await app.WaitUntilAsync(a => ResourceNotificationService.IsRunningAndHealthy(a.Single("cache")), "redis is healthy again");
        Assert.NotEqual(redisPid, app.Single("cache").ProcessId);
        var cacheConnection = await cache.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(cacheConnection!))
        {
            Assert.True(await redis.GetDatabase().StringSetAsync("after-restart", "yes"));
        }
        Assert.Equal(ResourceCommandOutcome.NotSupported, (await commands.ExecuteAsync("db", KnownResourceCommands.Stop, cancellationToken: cancellationToken)).Outcome);

        Assert.Equal(ResourceCommandOutcome.UnknownResource, (await commands.ExecuteAsync("nobody", KnownResourceCommands.Stop, cancellationToken: cancellationToken)).Outcome);
        Assert.Equal(ResourceCommandOutcome.UnknownReplica, (await commands.ExecuteAsync("service", KnownResourceCommands.Stop, replica: 3, cancellationToken)).Outcome);
        Assert.Equal(ResourceCommandOutcome.UnknownCommand, (await commands.ExecuteAsync("service", "explode", cancellationToken: cancellationToken)).Outcome);
    }

    /// <summary>Every state one instance passes through, from the moment it is created.</summary>
    private sealed class StateRecorder : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<string> _states = [];

        public static StateRecorder Start(ResourceNotificationService notifications, string instanceId)
        {
            var recorder = new StateRecorder();
            var watching = notifications.WatchAsync(recorder._stop.Token).GetAsyncEnumerator(recorder._stop.Token);
            // The first step runs synchronously and registers the watcher, so no later change is missed.
            var next = watching.MoveNextAsync();
            _ = Task.Run(async () =>
            {
                try
                {
                    while (await next)
                    {
                        if (watching.Current.Snapshot.InstanceId == instanceId)
                        {
                            lock (recorder._states)
                            {
                                recorder._states.Add(watching.Current.Snapshot.State);
                            }
                        }
                        next = watching.MoveNextAsync();
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
            return recorder;
        }

        /// <summary>The states in order, each run of repeats once, without the state it started in.</summary>
        public IReadOnlyList<string> Distinct()
        {
            lock (_states)
            {
                return [.. _states.Where((state, i) => i > 0 && state != _states[i - 1])];
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }
}
