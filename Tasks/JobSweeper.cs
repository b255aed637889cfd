using LearnApp.Data.Entities;
using LearnApp.Tasks.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnApp.Tasks;

/// <summary>
/// Finds jobs stranded by a process that died (queued but never started, or running past their lease) and
/// dispatches them again. A conditional update on <c>DispatchedAt</c> makes one sweeper win when several run.
/// </summary>
public sealed partial class JobSweeper(
    IServiceScopeFactory scopeFactory,
    TaskDispatcher dispatcher,
    TaskRouter router,
    IOptions<TaskExecutorOptions> options,
    ILogger<JobSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken))
        {
            try
            {
                var swept = await SweepOnceAsync(stoppingToken);
                if (swept > 0)
                {
                    LogSwept(logger, swept);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetBackgroundDbContext();
        var now = DateTime.UtcNow;
        var strandedBefore = now - options.Value.StrandedAfter;
        var stranded = await db.Jobs.AsNoTracking()
            .Where(j => (j.Status == JobStatus.Queued && j.DispatchedAt < strandedBefore)
                || (j.Status == JobStatus.Running && j.LeaseExpiresAt < now && j.DispatchedAt < strandedBefore))
            .OrderBy(j => j.DispatchedAt)
            .Take(100)
            .ToListAsync(cancellationToken);

        var count = 0;
        foreach (var job in stranded)
        {
            var route = router.Choose(job.Type);
            var won = await db.Jobs.Where(j => j.Id == job.Id && j.DispatchedAt == job.DispatchedAt)
                .ExecuteUpdateAsync(set => set.SetProperty(j => j.DispatchedAt, now).SetProperty(j => j.DispatchedTo, route), cancellationToken);
            if (won == 0)
            {
                continue;
            }

            job.DispatchedTo = route;
            await dispatcher.DispatchAsync(job, cancellationToken);
            count++;
        }

        return count;
    }

    [LoggerMessage(LogLevel.Warning, "Dispatched {Count} stranded jobs again")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "The job sweep failed; it runs again on the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
