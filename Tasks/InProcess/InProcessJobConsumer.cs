using LearnApp.Data.Entities;
using LearnApp.Tasks.Execution;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnApp.Tasks.InProcess;

/// <summary>
/// Drains the in-process channel with a fixed number of concurrent loops. A loop takes what has piled up in the
/// channel at once, so under load the jobs this process claimed itself run together (one round trip for the light
/// ones on PostgreSQL, see <see cref="JobRunner.RunClaimedTogetherAsync"/>); one at a time, a job runs alone.
/// </summary>
public sealed partial class InProcessJobConsumer(
    InProcessJobChannel queue,
    JobRunner runner,
    ExecutorIdentity identity,
    IOptions<TaskExecutorOptions> options,
    ILogger<InProcessJobConsumer> logger) : BackgroundService
{
    /// <summary>At most this many jobs go together: a longer batch makes its first job wait for the last.</summary>
    public const int MaxJobsTogether = 16;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.InProcessConsumers)).Select(_ => ConsumeAsync(stoppingToken)));

    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var claimed = new List<Job>(MaxJobsTogether);
        while (await queue.WaitToReadAsync(stoppingToken))
        {
            while (claimed.Count < MaxJobsTogether && queue.TryRead(out var item))
            {
                if (item.Claimed is { } job)
                {
                    claimed.Add(job);
                }
                else
                {
                    await RunAsync([item.Id], async () => [await runner.RunAsync(item.Id, identity.Name, stoppingToken)], stoppingToken);
                }
            }

            if (claimed.Count > 0)
            {
                Job[] jobs = [.. claimed];
                claimed.Clear();
                await RunAsync([.. jobs.Select(j => j.Id)], () => runner.RunClaimedTogetherAsync(jobs, identity.Name, stoppingToken), stoppingToken);
            }
        }
    }

    private async Task RunAsync(Guid[] jobIds, Func<Task<JobRunOutcome[]>> run, CancellationToken stoppingToken)
    {
        JobRunOutcome[] outcomes;
        try
        {
            outcomes = await run();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The database itself failed (not a task): try again shortly; the rows keep the jobs meanwhile.
            LogRunFailed(logger, ex, jobIds[0], jobIds.Length);
            outcomes = [.. jobIds.Select(_ => JobRunOutcome.RetryLater)];
        }

        for (var i = 0; i < jobIds.Length; i++)
        {
            if (outcomes[i] == JobRunOutcome.RetryLater)
            {
                _ = RequeueAfterPauseAsync(jobIds[i], stoppingToken);
            }
        }
    }

    private async Task RequeueAfterPauseAsync(Guid jobId, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
            await queue.EnqueueAsync(jobId, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the row stays queued and the sweeper of a live process picks it up.
        }
    }

    [LoggerMessage(LogLevel.Error, "Running job {JobId} (with {JobCount} in all) failed outside its task; it is retried")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, Guid jobId, int jobCount);
}
