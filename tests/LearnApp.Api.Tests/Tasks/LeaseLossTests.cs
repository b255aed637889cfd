using System.Collections.Concurrent;
using System.Net.Http.Json;
using LearnApp.Data;
using LearnApp.Data.Entities;
using LearnApp.Tasks;
using LearnApp.Tasks.Execution;
using LearnApp.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LearnApp.Api.Tests.Tasks;

/// <summary>
/// A lease that runs out while the handler works: by the time this executor completes, another one has claimed the
/// job. This attempt's effect and its completion must both be dropped, since the other run is the one that counts.
/// </summary>
public sealed class LeaseLossTests(PostgresServerFixture postgres)
{
    private const string TaskType = "test_taken_over";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]  // effect and completion in one statement, no transaction (award_xp's path)
    [InlineData(false)] // the handler's transaction, then effect and completion in one command
    public async Task AnAttemptTakenOverWhileItRanAppliesNoEffectAndCompletesNothing(bool effectOnly)
    {
        var scenario = new TaskScenario(await postgres.CreateDatabaseAsync("leaseloss"), redisConnectionString: null);
        var log = new CapturedLog();
        var handler = new TakenOverWhileRunning(effectOnly);
        await using var api = scenario.CreateApi("inprocess").WithWebHostBuilder(web => web
            .ConfigureTestServices(services => services.AddSingleton<ITaskHandler>(handler).AddSingleton<ILoggerProvider>(log)));
        handler.TakeOver = jobId => WithDbAsync(api.Services, db => db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(set => set
            .SetProperty(j => j.Attempts, j => j.Attempts + 1)
            .SetProperty(j => j.ExecutedBy, "usurper")
            .SetProperty(j => j.LeaseExpiresAt, DateTime.UtcNow.AddHours(1))));
        await WithDbAsync(api.Services, db => DatabaseMigrator.MigrateAndSeedAsync(db));
        var userId = await RegisterAsync(api.CreateClient());

        var job = await WithDbAsync(api.Services, db => api.Services.GetRequiredService<TaskDispatcher>()
            .EnqueueAsync(db, TaskType, userId, new { Xp = 100 }, Cancel));
        await Eventually.ReturnsAsync(() => Task.FromResult(log.SaysTakenOver(job.Id)), seen => seen);

        var (row, xp) = await WithDbAsync(api.Services, async db => (
            await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.Id, Cancel),
            await db.Users.Where(u => u.Id == userId).Select(u => u.Xp).SingleAsync(Cancel)));
        Assert.Equal(0, xp);
        Assert.Equal((JobStatus.Running, "usurper", 2), (row.Status, row.ExecutedBy, row.Attempts));
        Assert.Null(row.FinishedAt);
        Assert.Null(row.Error);
    }

    private static async Task<T> WithDbAsync<T>(IServiceProvider services, Func<LearnAppDbContext, Task<T>> work)
    {
        await using var scope = services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<LearnAppDbContext>());
    }

    private static Task<bool> WithDbAsync(IServiceProvider services, Func<LearnAppDbContext, Task> work) =>
        WithDbAsync(services, async db => { await work(db); return true; });

    private static async Task<Guid> RegisterAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/v1/auth/register",
            new { email = $"lease-{Guid.NewGuid():N}@example.com", password = "correct horse battery", displayName = "Lease" }, Cancel);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Registered>(Cancel))!.UserId;
    }

    private sealed record Registered(Guid UserId);

    /// <summary>Awards XP like award_xp, but first lets "another executor" claim the job, as a lease that ran out would.</summary>
    private sealed class TakenOverWhileRunning(bool effectOnly) : ITaskHandler
    {
        public Func<Guid, Task> TakeOver { get; set; } = _ => throw new InvalidOperationException("set TakeOver first");

        public string TaskType => LeaseLossTests.TaskType;

        public bool EffectOnly => effectOnly;

        public async Task<object?> ExecuteAsync(TaskExecution execution, CancellationToken cancellationToken)
        {
            await TakeOver(execution.Job.Id);
            execution.CompleteWith($"UPDATE \"users\" SET \"Xp\" = \"Xp\" + 100 WHERE \"Id\" = {execution.Job.UserId}", "no such user");
            return new { Xp = 100 };
        }
    }

    /// <summary>The Api's log entries, to see the runner say it lost the job (Warning, the scenario's level).</summary>
    private sealed class CapturedLog : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _entries = new();

        public bool SaysTakenOver(Guid jobId) => _entries.Any(entry =>
            entry.Contains(jobId.ToString(), StringComparison.Ordinal) && entry.Contains("taken over", StringComparison.Ordinal));

        public ILogger CreateLogger(string categoryName) => new Logger(_entries);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(formatter(state, exception));
        }
    }
}
