using LearnApp.Api.Tests.Tasks;
using LearnApp.Data;
using LearnApp.Data.Entities;
using LearnApp.Tasks;
using LearnApp.Tasks.Scheduling;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LearnApp.Api.Tests.Scheduling;

/// <summary>The scheduler mode's leader election, with two instances on one real Redis and one real database.</summary>
public sealed class SchedulerTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OfTwoSchedulerInstancesExactlyOneLeadsAndOnlyItCreatesThePeriodicJobs()
    {
        var scenario = await ScenarioAsync();
        using var first = await StartSchedulerAsync(scenario, "scheduler-1");
        using var second = await StartSchedulerAsync(scenario, "scheduler-2");
        var leases = new[] { Lease(first), Lease(second) };

        await Eventually.ReturnsAsync(() => Task.FromResult(leases.Count(l => l.IsLeader)), count => count == 1);
        // Watch a few lease renewals: leadership never doubles up and never moves while the leader lives.
        var leader = leases.Single(l => l.IsLeader);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(1, leases.Count(l => l.IsLeader));
            Assert.True(leader.IsLeader);
            await Task.Delay(TimeSpan.FromMilliseconds(100), Cancel);
        }

        var jobs = await Eventually.ReturnsAsync(() => PeriodicJobsAsync(scenario), j => j.Count == 2);
        Assert.Equal([TaskNames.CalculateAllRatings, TaskNames.SyncImpressionsFromRedis], jobs.Select(j => j.Type).Order());
        var leaderHost = leader == leases[0] ? first : second;
        var followerHost = leader == leases[0] ? second : first;
        Assert.Equal(2, leaderHost.Services.GetRequiredService<PeriodicTaskScheduler>().JobsCreated);
        Assert.Equal(0, followerHost.Services.GetRequiredService<PeriodicTaskScheduler>().JobsCreated);
        Assert.All(await Eventually.ReturnsAsync(() => PeriodicJobsAsync(scenario), j => j.All(x => x.Status == JobStatus.Succeeded)),
            j => Assert.Equal(JobStatus.Succeeded, j.Status));

        // The leader stops: the other instance takes over.
        await leaderHost.StopAsync(Cancel);
        var follower = leases.Single(l => l != leader);
        await Eventually.ReturnsAsync(() => Task.FromResult(follower.IsLeader), leads => leads);
    }

    [Fact]
    public async Task ALeaderThatStopsRenewingLosesTheLeaseOnlyAfterItExpires()
    {
        var scenario = (await ScenarioAsync()).With("Scheduler:LeaseDuration", "00:00:01.500");
        using var first = await StartSchedulerAsync(scenario, "frozen-1", startHost: false);
        using var second = await StartSchedulerAsync(scenario, "frozen-2", startHost: false);
        var frozen = Lease(first);
        var waiting = Lease(second);

        Assert.True(await frozen.TryAcquireOrRenewAsync());
        Assert.False(await waiting.TryAcquireOrRenewAsync());
        var tookOverAt = await Eventually.ReturnsAsync(async () => await waiting.TryAcquireOrRenewAsync() ? DateTime.UtcNow : (DateTime?)null, t => t is not null);
        Assert.False(await frozen.TryAcquireOrRenewAsync());
        Assert.NotNull(tookOverAt);
    }

    private async Task<TaskScenario> ScenarioAsync()
    {
        var scenario = new TaskScenario(await postgres.CreateDatabaseAsync("scheduler"), redis.ConnectionString)
            .With("Scheduler:TickInterval", "00:00:00.100")
            .With("Scheduler:LeaseDuration", "00:00:01")
            .With("Scheduler:RatingsInterval", "01:00:00")
            .With("Scheduler:ImpressionsInterval", "01:00:00");
        await using var migrator = scenario.CreateApi("inprocess");
        await migrator.MigrateAsync();
        return scenario;
    }

    private static async Task<IHost> StartSchedulerAsync(TaskScenario scenario, string name, bool startHost = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development", ApplicationName = "LearnApp.Api" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(scenario.Settings)
        {
            ["TASK_EXECUTOR"] = "inprocess",
            ["Tasks:ExecutorName"] = name,
        });
        builder.AddLearnAppData();
        builder.AddLearnAppTasks(TaskHostRole.Scheduler);
        builder.AddLearnAppScheduler();
        var host = builder.Build();
        if (startHost)
        {
            await host.StartAsync(Cancel);
        }
        return host;
    }

    private static LeaderLease Lease(IHost host) => host.Services.GetRequiredService<LeaderLease>();

    private static async Task<List<Job>> PeriodicJobsAsync(TaskScenario scenario)
    {
        var options = new DbContextOptionsBuilder<PostgresLearnAppDbContext>().UseNpgsql(scenario.Settings["ConnectionStrings:db"]).Options;
        await using var db = new PostgresLearnAppDbContext(options);
        return await db.Jobs.AsNoTracking().Where(j => j.UserId == null).ToListAsync(Cancel);
    }
}
