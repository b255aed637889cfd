using LearnApp.Tasks.Execution;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnApp.Tasks.InProcess;

/// <summary>Drains the in-process channel with a fixed number of concurrent loops.</summary>
public sealed partial class InProcessJobConsumer(
    InProcessJobChannel queue,
    JobRunner runner,
    ExecutorIdentity identity,
    IOptions<TaskExecutorOptions> options,
    ILogger<InProcessJobConsumer> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.InProcessConsumers)).Select(_ => ConsumeAsync(stoppingToken)));

    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await foreach (var (jobId, claimed) in queue.ReadAllAsync(stoppingToken))
        {
            JobRunOutcome outcome;
            try
            {
                outcome = claimed is null
                    ? await runner.RunAsync(jobId, identity.Name, stoppingToken)
                    : await runner.RunClaimedAsync(claimed, identity.Name, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The database itself failed (not the task): try again shortly; the row keeps the job meanwhile.
                LogRunFailed(logger, ex, jobId);
                outcome = JobRunOutcome.RetryLater;
            }

            if (outcome == JobRunOutcome.RetryLater)
            {
                _ = RequeueAfterPauseAsync(jobId, stoppingToken);
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

    [LoggerMessage(LogLevel.Error, "Running job {JobId} failed outside its task; it is retried")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, Guid jobId);
}
