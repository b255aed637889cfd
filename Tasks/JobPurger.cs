using LearnApp.Data;
using LearnApp.Data.Entities;
using LearnApp.Tasks.Execution;
using LearnApp.Tasks.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnApp.Tasks;

/// <summary>
/// Keeps the jobs table from growing forever (a row per review, two periodic jobs a minute): deletes finished jobs
/// once their retention has passed, succeeded ones after <see cref="TaskExecutorOptions.SucceededJobRetention"/> and
/// failed ones, whose error someone may still look into, after <see cref="TaskExecutorOptions.FailedJobRetention"/>.
/// A speaking attempt's recording goes with its job. Queued and running jobs are never touched. Every Api replica
/// runs one; they may race for a batch, and then the second deletes nothing.
/// </summary>
public sealed partial class JobPurger(
    IServiceScopeFactory scopeFactory,
    IOptions<TaskExecutorOptions> options,
    ILogger<JobPurger> logger) : BackgroundService
{
    /// <summary>Rows per delete: each batch is one short transaction, so a backlog never holds locks for long.</summary>
    public const int BatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PurgeInterval);
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken))
        {
            try
            {
                var purged = await PurgeOnceAsync(DateTime.UtcNow, stoppingToken);
                if (purged.Jobs > 0)
                {
                    LogPurged(logger, purged.Jobs, purged.Recordings);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogPurgeFailed(logger, ex);
            }
        }
    }

    /// <summary>Deletes, batch by batch, every finished job whose retention had passed at <paramref name="now"/>.</summary>
    public async Task<(int Jobs, int Recordings)> PurgeOnceAsync(DateTime now, CancellationToken cancellationToken)
    {
        var succeeded = await PurgeAsync(JobStatus.Succeeded, now - options.Value.SucceededJobRetention, cancellationToken);
        var failed = await PurgeAsync(JobStatus.Failed, now - options.Value.FailedJobRetention, cancellationToken);
        return (succeeded.Jobs + failed.Jobs, succeeded.Recordings + failed.Recordings);
    }

    private async Task<(int Jobs, int Recordings)> PurgeAsync(JobStatus status, DateTime finishedBefore, CancellationToken cancellationToken)
    {
        var (jobs, recordings) = (0, 0);
        while (true)
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetBackgroundDbContext();
            // One status at a time, in DispatchedAt order: a range of the sweeper's (Status, DispatchedAt) index that
            // stops after a batch. A job is dispatched before it finishes, so DispatchedAt bounds the range and
            // FinishedAt only rechecks the rows in it.
            var batch = await db.Jobs.AsNoTracking()
                .Where(j => j.Status == status && j.DispatchedAt < finishedBefore && j.FinishedAt < finishedBefore)
                .OrderBy(j => j.DispatchedAt)
                .Take(BatchSize)
                .Select(j => new Job { Id = j.Id, Type = j.Type, Payload = j.Payload })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return (jobs, recordings);
            }

            var jobIds = batch.Select(j => j.Id).ToList();
            var attemptIds = batch.Where(j => j.Type == TaskNames.ProcessSpeakAudio).Select(AttemptOf).OfType<Guid>().ToList();
            using (await SqliteWriterTurns.WaitTurnAsync(db, cancellationToken))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (attemptIds.Count > 0)
                {
                    recordings += await db.SpeakingAttempts.Where(a => attemptIds.Contains(a.Id)).ExecuteDeleteAsync(cancellationToken);
                }
                jobs += await db.Jobs.Where(j => jobIds.Contains(j.Id)).ExecuteDeleteAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            if (batch.Count < BatchSize)
            {
                return (jobs, recordings);
            }
        }
    }

    // A job whose payload cannot be read failed for that reason and never had an attempt of its own to remove.
    private static Guid? AttemptOf(Job job)
    {
        try
        {
            return TaskPayload.Read<ProcessSpeakAudioPayload>(job).AttemptId;
        }
        catch (PermanentTaskException)
        {
            return null;
        }
    }

    [LoggerMessage(LogLevel.Information, "Purged {Jobs} finished jobs past their retention and {Recordings} speaking recordings with them")]
    private static partial void LogPurged(ILogger logger, int jobs, int recordings);

    [LoggerMessage(LogLevel.Warning, "The job purge failed; it runs again on the next tick")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
