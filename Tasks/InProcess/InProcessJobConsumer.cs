using LearnApp.Tasks.Execution;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LearnApp.Tasks.InProcess;

/// <summary>Drains the in-process channel with a fixed number of concurrent loops.</summary>
public sealed class InProcessJobConsumer(
    InProcessJobChannel queue,
    JobRunner runner,
    ExecutorIdentity identity,
    IOptions<TaskExecutorOptions> options) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.InProcessConsumers)).Select(_ => ConsumeAsync(stoppingToken)));

    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await foreach (var jobId in queue.ReadAllAsync(stoppingToken))
        {
            var outcome = await runner.RunAsync(jobId, identity.Name, stoppingToken);
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
}
