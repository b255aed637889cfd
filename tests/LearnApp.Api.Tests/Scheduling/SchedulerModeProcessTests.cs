using LearnApp.Api.Tests.Tasks;
using LearnApp.Data;
using LearnApp.Data.Entities;
using LearnApp.Hosting.Orchestration.Processes;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Api.Tests.Scheduling;

/// <summary>The real <c>LearnApp.Api scheduler</c> executable, as the AppHost starts it.</summary>
public sealed class SchedulerModeProcessTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SchedulerModeTakesTheLeaseAndCreatesThePeriodicJobs()
    {
        var scenario = new TaskScenario(await postgres.CreateDatabaseAsync("schedmode"), redis.ConnectionString)
            .With("Scheduler:TickInterval", "00:00:00.200");
        await using (var migrator = scenario.CreateApi("inprocess"))
        {
            await migrator.MigrateAsync();
        }

        var environment = scenario.Settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        environment["Tasks__ExecutorName"] = "scheduler-process";
        environment["TASK_EXECUTOR"] = "inprocess";
        environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        await using var scheduler = await ProcessRunner.StartAsync(new ProcessSpec("dotnet")
        {
            Arguments = [typeof(Program).Assembly.Location, "scheduler"],
            WorkingDirectory = AppContext.BaseDirectory,
            Environment = environment,
        }, Cancel);

        var holder = await Eventually.ReturnsAsync(
            async () => (string?)await redis.Connection.GetDatabase().StringGetAsync(scenario.Settings["Scheduler:LockKey"]),
            value => value is not null, TimeSpan.FromSeconds(30));
        var jobs = await Eventually.ReturnsAsync(async () =>
        {
            var options = new DbContextOptionsBuilder<PostgresLearnAppDbContext>().UseNpgsql(scenario.Settings["ConnectionStrings:db"]).Options;
            await using var db = new PostgresLearnAppDbContext(options);
            return await db.Jobs.AsNoTracking().Where(j => j.UserId == null && j.Status == JobStatus.Succeeded).Select(j => j.Type).ToListAsync(Cancel);
        }, types => types.Count == 2, TimeSpan.FromSeconds(30));

        Assert.Equal("scheduler-process", holder);
        Assert.Equal(["calculate_all_ratings", "sync_impressions_from_redis"], jobs.Order());
        Assert.False(scheduler.HasExited);
    }
}
