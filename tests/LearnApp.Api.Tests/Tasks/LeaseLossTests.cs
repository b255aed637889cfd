using LearnApp.Data.Entities;
using LearnApp.Tasks;
using LearnApp.Tasks.Execution;
using LearnApp.Testing;
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
        var handler = new TakenOverWhileRunning(effectOnly);
        await using var api = scenario.CreateApi("inprocess", services => services.AddSingleton<ITaskHandler>(handler));
        handler.TakeOver = jobId => api.WithDbAsync(db => db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(set => set
            .SetProperty(j => j.Attempts, j => j.Attempts + 1)
            .SetProperty(j => j.ExecutedBy, "usurper")
            .SetProperty(j => j.LeaseExpiresAt, DateTime.UtcNow.AddHours(1))));
        await api.MigrateAsync();
        var (_, userId) = await api.CreateUserClientAsync();

        var job = await api.WithDbAsync(db => api.Services.GetRequiredService<TaskDispatcher>()
            .EnqueueAsync(db, TaskType, userId, new { Xp = 100 }, Cancel));
        // The runner says it lost the job (a Warning) once it has dropped this attempt.
        await Eventually.ReturnsAsync(
            () => Task.FromResult(api.Logs.AtLeast(LogLevel.Warning).Any(e => e.Message.Contains(job.Id.ToString(), StringComparison.Ordinal)
                && e.Message.Contains("taken over", StringComparison.Ordinal))),
            seen => seen);

        var (row, xp) = await api.WithDbAsync(async db => (
            await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.Id, Cancel),
            await db.Users.Where(u => u.Id == userId).Select(u => u.Xp).SingleAsync(Cancel)));
        Assert.Equal(0, xp);
        Assert.Equal((JobStatus.Running, "usurper", 2), (row.Status, row.ExecutedBy, row.Attempts));
        Assert.Null(row.FinishedAt);
        Assert.Null(row.Error);
    }

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
}
