using System.Net.Http.Json;
using System.Security.Cryptography;
using LearnApp.Data.Entities;
using LearnApp.Hosting.Orchestration.Native;
using LearnApp.Hosting.Orchestration.Network;
using LearnApp.Hosting.Orchestration.Processes;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Api.Tests.Tasks;

/// <summary>Nothing is lost when a worker dies mid-job or Redis goes away.</summary>
public sealed class TaskResilienceTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AWorkerKilledMidJobHasItsJobRedeliveredAndFinishedExactlyOnce()
    {
        var database = await postgres.CreateDatabaseAsync("killed");
        var scenario = new TaskScenario(database, redis.ConnectionString);
        await using var api = scenario.CreateApi("queue");
        await api.MigrateAsync();
        var (client, userId) = await api.CreateUserClientAsync();
        var jobId = await TaskScenario.ReviewAsync(api, client, userId, await TaskScenario.FirstCardAsync(client), grade: 5);

        // Hold the user's row, so the worker's award_xp blocks inside its job transaction: "mid-job".
        await using var hold = await UserRowLock.AcquireAsync(database, userId, Cancel);

        var doomed = await scenario.StartWorkerAsync("worker-doomed");
        var running = await Eventually.ReturnsAsync(() => TaskScenario.JobAsync(api, jobId),
            j => j.Status == JobStatus.Running && j.ExecutedBy == "worker-doomed", TimeSpan.FromSeconds(30));
        await Eventually.ReturnsAsync(() => hold.WaitersAsync(Cancel), waiters => waiters == 1);
        await doomed.KillAsync();
        // The worker's blocked statement must die with it, not commit once the lock goes: PostgreSQL drops it by
        // itself within client_connection_check_interval (the Api's connection string sets 1 s).
        await Eventually.ReturnsAsync(() => hold.WaitersAsync(Cancel), waiters => waiters == 0, TimeSpan.FromSeconds(10));
        await hold.RollbackAsync(Cancel);

        await using var rescuer = await scenario.StartWorkerAsync("worker-rescuer");
        var finished = await TaskScenario.FinishedJobAsync(api, jobId, TimeSpan.FromSeconds(60));

        Assert.Equal(1, running.Attempts);
        Assert.True(finished.Status == JobStatus.Succeeded, finished.Error ?? rescuer.Log);
        Assert.Equal("worker-rescuer", finished.ExecutedBy);
        Assert.Equal(2, finished.Attempts);
        // Exactly once: 10 XP for the one grade-5 review, not 20.
        Assert.Equal(10, await api.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Xp).SingleAsync(Cancel)));
        await TaskScenario.WaitForStatusAsync(client, s => s.QueueDepth == 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AFailingAttemptIsRetriedAndAfterMaxAttemptsTheJobFailsWithItsErrorAndIsDeadLettered(bool recoverAfterFirstFailure)
    {
        var database = await postgres.CreateDatabaseAsync("retries");
        var scenario = new TaskScenario(database, redis.ConnectionString).With("Tasks:MaxAttempts", "3");
        await using var api = scenario.CreateApi("queue");
        await api.MigrateAsync();
        var (client, userId) = await api.CreateUserClientAsync();
        var jobId = await TaskScenario.ReviewAsync(api, client, userId, await TaskScenario.FirstCardAsync(client), grade: 5);

        // The user's row stays locked, and the worker's database sessions give up waiting for a lock after 200 ms:
        // every attempt fails with a real (transient) database error.
        await using var hold = await UserRowLock.AcquireAsync(database, userId, Cancel);
        scenario.With("ConnectionStrings:db", database + ";Options=-c lock_timeout=200");
        await using var worker = await scenario.StartWorkerAsync("worker-retry");

        if (recoverAfterFirstFailure)
        {
            await Eventually.ReturnsAsync(() => TaskScenario.JobAsync(api, jobId), j => j.Attempts >= 1 && j.Error is not null, TimeSpan.FromSeconds(30));
            await hold.RollbackAsync(Cancel);
        }
        var finished = await TaskScenario.FinishedJobAsync(api, jobId, TimeSpan.FromSeconds(60));
        // The dead letter is written after the failure is committed, so it may trail the job row by a moment.
        var deadLetters = recoverAfterFirstFailure
            ? await redis.Connection.GetDatabase().StreamLengthAsync(scenario.DeadLetterKey)
            : await Eventually.ReturnsAsync(() => redis.Connection.GetDatabase().StreamLengthAsync(scenario.DeadLetterKey), n => n >= 1);

        if (recoverAfterFirstFailure)
        {
            Assert.True(finished.Status == JobStatus.Succeeded, finished.Error);
            Assert.InRange(finished.Attempts, 2, 3);
            Assert.Equal(0, deadLetters);
            Assert.Equal(10, await api.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Xp).SingleAsync(Cancel)));
        }
        else
        {
            Assert.Equal(JobStatus.Failed, finished.Status);
            Assert.Equal(3, finished.Attempts);
            Assert.Contains("lock timeout", finished.Error, StringComparison.Ordinal);
            Assert.Equal(1, deadLetters);
        }
    }

    [Fact]
    public async Task WhenRedisStopsHybridRunsHeavyTasksInProcessLosesNothingAndReturnsToTheQueueWithRedis()
    {
        // A Redis of this test's own, so stopping it disturbs no other test.
        var installation = RedisInstallation.FindOrThrow();
        var directory = TestWorkDirectory.Create("redis-outage");
        var port = FreePort.Pick();
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var redisSpec = installation.CreateServerSpec(port, directory, persistent: false, password);
        var server = await StartRedisAsync(redisSpec, port, password);
        try
        {
            var scenario = new TaskScenario(await postgres.CreateDatabaseAsync("outage"), $"127.0.0.1:{port},password={password}")
                .With("HEAVY_TASKS", "award_xp");
            await using var api = scenario.CreateApi("hybrid");
            await api.MigrateAsync();
            var (client, userId) = await api.CreateUserClientAsync();
            var cardId = await TaskScenario.FirstCardAsync(client);
            await using var worker = await scenario.StartWorkerAsync("worker-o");
            await TaskScenario.WaitForStatusAsync(client, s => s.HeavyTaskRoute == "queue");
            var beforeOutage = await TaskScenario.FinishedJobAsync(api, await TaskScenario.ReviewAsync(api, client, userId, cardId));

            await server.StopAsync(TimeSpan.FromSeconds(10));
            var duringOutage = new List<Guid>();
            for (var i = 0; i < 5; i++)
            {
                duringOutage.Add(await TaskScenario.ReviewAsync(api, client, userId, cardId));
            }
            var outageJobs = new List<Job>();
            foreach (var jobId in duringOutage)
            {
                outageJobs.Add(await TaskScenario.FinishedJobAsync(api, jobId));
            }
            var statusDuringOutage = await TaskScenario.WaitForStatusAsync(client, s => !s.RedisAvailable);

            server = await StartRedisAsync(redisSpec, port, password);
            await TaskScenario.WaitForStatusAsync(client, s => s.HeavyTaskRoute == "queue");
            var afterOutage = await TaskScenario.FinishedJobAsync(api, await TaskScenario.ReviewAsync(api, client, userId, cardId));

            Assert.Equal("worker-o", beforeOutage.ExecutedBy);
            Assert.All(outageJobs, j => Assert.Equal((JobStatus.Succeeded, "api-1"), (j.Status, j.ExecutedBy)));
            Assert.Equal("inprocess", statusDuringOutage.HeavyTaskRoute);
            Assert.Equal((JobStatus.Succeeded, "worker-o"), (afterOutage.Status, afterOutage.ExecutedBy));
            var xp = await api.WithDbAsync(db => db.Reviews.Where(r => r.UserId == userId).SumAsync(r => r.XpAwarded, Cancel));
            var me = await client.GetFromJsonAsync<MeBody>("/api/v1/me", Cancel);
            Assert.Equal(7, await api.WithDbAsync(db => db.Jobs.CountAsync(j => j.UserId == userId && j.Status == JobStatus.Succeeded, Cancel)));
            Assert.Equal(xp, me!.Xp);
        }
        finally
        {
            await server.DisposeAsync();
            TestWorkDirectory.Delete(directory);
        }
    }

    private static async Task<RunningProcess> StartRedisAsync(ProcessSpec spec, int port, string password)
    {
        var server = await ProcessRunner.StartAsync(spec);
        await Eventually.ReturnsAsync(async () =>
        {
            try
            {
                await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},password={password},connectTimeout=500");
                await connection.GetDatabase().PingAsync();
                return true;
            }
            catch (StackExchange.Redis.RedisConnectionException)
            {
                return false;
            }
        }, ready => ready);
        return server;
    }

    private sealed record MeBody(int Xp);
}
