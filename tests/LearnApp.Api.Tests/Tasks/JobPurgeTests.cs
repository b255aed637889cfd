using LearnApp.Data.Entities;
using LearnApp.Tasks;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LearnApp.Api.Tests.Tasks;

/// <summary>The Api's purge of finished jobs past their retention, on both providers.</summary>
public sealed class JobPurgeTests(PostgresServerFixture postgres) : IAsyncLifetime
{
    private readonly string _directory = TestWorkDirectory.Create("purge");
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestWorkDirectory.Delete(_directory);
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task FinishedJobsPastTheirRetentionGoWithTheirRecordingsAndNothingElseDoes(string provider)
    {
        (string, string?)[] settings =
        [
            // The test runs the purge itself; the sweeper would dispatch the old queued and running rows again.
            ("Tasks:PurgeInterval", "01:00:00"),
            ("Tasks:SweepInterval", "01:00:00"),
            ("TASK_EXECUTOR", "inprocess"),
        ];
        await using var api = provider == "postgres"
            ? ApiFactory.ForPostgres(await postgres.CreateDatabaseAsync("purge"), settings)
            : ApiFactory.ForSqlite(Path.Combine(_directory, "learnapp.db"), settings);
        await api.MigrateAsync();
        var (client, userId) = await api.CreateUserClientAsync();
        var cardId = await TaskScenario.FirstCardAsync(client);
        var now = DateTime.UtcNow;

        var oldSpoken = Speaking(userId, cardId, JobStatus.Succeeded, now.AddDays(-8));
        var recentSpoken = Speaking(userId, cardId, JobStatus.Succeeded, now.AddDays(-1));
        // More than one batch of old succeeded jobs, so the purge has to go round.
        var oldSucceeded = Enumerable.Range(0, JobPurger.BatchSize + 50).Select(_ => Job(JobStatus.Succeeded, now.AddDays(-7.5))).ToList();
        var recentSucceeded = Job(JobStatus.Succeeded, now.AddDays(-6));
        var oldFailed = Job(JobStatus.Failed, now.AddDays(-31));
        var failedWithinItsRetention = Job(JobStatus.Failed, now.AddDays(-10));
        var oldQueued = Job(JobStatus.Queued, now.AddDays(-40));
        var oldRunning = Job(JobStatus.Running, now.AddDays(-40));
        await api.WithDbAsync(async db =>
        {
            db.SpeakingAttempts.AddRange(oldSpoken.Attempt, recentSpoken.Attempt);
            db.Jobs.AddRange([oldSpoken.Job, recentSpoken.Job, .. oldSucceeded, recentSucceeded, oldFailed, failedWithinItsRetention, oldQueued, oldRunning]);
            return await db.SaveChangesAsync(Cancel);
        });

        var purger = api.Services.GetRequiredService<JobPurger>();
        var purged = await purger.PurgeOnceAsync(DateTime.UtcNow, Cancel);
        var left = await api.WithDbAsync(db => db.Jobs.Where(j => j.UserId == null).Select(j => j.Id).ToListAsync(Cancel));
        var attempts = await api.WithDbAsync(db => db.SpeakingAttempts.Select(a => a.Id).ToListAsync(Cancel));

        Assert.Equal((oldSucceeded.Count + 2, 1), purged);
        Assert.Equal(new[] { recentSpoken.Job.Id, recentSucceeded.Id, failedWithinItsRetention.Id, oldQueued.Id, oldRunning.Id }.Order(), left.Order());
        Assert.Equal([recentSpoken.Attempt.Id], attempts);
        Assert.Contains(purger, api.Services.GetServices<IHostedService>());
        Assert.Equal((0, 0), await purger.PurgeOnceAsync(DateTime.UtcNow, Cancel));
    }

    // System jobs (no user), so the test can tell them from the award_xp job its own registration may cause.
    private static Job Job(JobStatus status, DateTime finishedAt, string type = TaskNames.CalculateAllRatings, string? payload = null) => new()
    {
        Id = Guid.CreateVersion7(),
        Type = type,
        Status = status,
        Payload = payload,
        Attempts = 1,
        CreatedAt = finishedAt.AddSeconds(-2),
        DispatchedAt = finishedAt.AddSeconds(-2),
        StartedAt = finishedAt.AddSeconds(-1),
        FinishedAt = status is JobStatus.Succeeded or JobStatus.Failed ? finishedAt : null,
        LeaseExpiresAt = status is JobStatus.Running ? finishedAt.AddSeconds(30) : null,
    };

    private static (Job Job, SpeakingAttempt Attempt) Speaking(Guid userId, int cardId, JobStatus status, DateTime finishedAt)
    {
        var attempt = new SpeakingAttempt { Id = Guid.CreateVersion7(), UserId = userId, CardId = cardId, Audio = [1, 2, 3], CreatedAt = finishedAt.AddSeconds(-3) };
        return (Job(status, finishedAt, TaskNames.ProcessSpeakAudio, $$"""{"attemptId":"{{attempt.Id}}"}"""), attempt);
    }
}
