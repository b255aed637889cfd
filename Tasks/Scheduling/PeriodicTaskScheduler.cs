using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LearnApp.Tasks.Scheduling;

/// <summary>
/// The scheduler mode ("beat"): on every tick it takes or renews the leader lease, and only the leader creates the
/// periodic jobs that are due. Last-run times live in Redis, so a new leader continues the old one's rhythm.
/// </summary>
public sealed partial class PeriodicTaskScheduler(
    LeaderLease lease,
    IConnectionMultiplexer redis,
    IServiceScopeFactory scopeFactory,
    TaskDispatcher dispatcher,
    IOptions<SchedulerOptions> options,
    ILogger<PeriodicTaskScheduler> logger) : BackgroundService
{
    private int _jobsCreated;

    /// <summary>How many jobs this instance has created (each only while it led).</summary>
    public int JobsCreated => Volatile.Read(ref _jobsCreated);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        (string Task, TimeSpan Interval)[] periodic =
        [
            (TaskNames.CalculateAllRatings, settings.RatingsInterval),
            (TaskNames.SyncImpressionsFromRedis, settings.ImpressionsInterval),
        ];

        using var timer = new PeriodicTimer(settings.TickInterval);
        do
        {
            if (!await lease.TryAcquireOrRenewAsync())
            {
                continue;
            }

            foreach (var (task, interval) in periodic)
            {
                try
                {
                    await RunIfDueAsync(task, interval, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogScheduleFailed(logger, ex, task);
                }
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Hand over at once on a graceful stop instead of making the others wait out the lease.
        await lease.ReleaseAsync();
    }

    private async Task RunIfDueAsync(string task, TimeSpan interval, CancellationToken stoppingToken)
    {
        var db = redis.GetDatabase();
        var key = options.Value.LastRunKeyPrefix + task;
        var now = DateTime.UtcNow;
        var last = await db.StringGetAsync(key);
        if (last.HasValue && long.TryParse(last.ToString(), CultureInfo.InvariantCulture, out var ticks) && now - new DateTime(ticks, DateTimeKind.Utc) < interval)
        {
            return;
        }

        await db.StringSetAsync(key, now.Ticks.ToString(CultureInfo.InvariantCulture));
        await using var scope = scopeFactory.CreateAsyncScope();
        var job = await dispatcher.EnqueueAsync(scope.ServiceProvider.GetBackgroundDbContext(), task, null, null, stoppingToken);
        Interlocked.Increment(ref _jobsCreated);
        LogScheduled(logger, task, job.Id, job.DispatchedTo);
    }

    [LoggerMessage(LogLevel.Information, "Scheduled {TaskType} as job {JobId} ({Route})")]
    private static partial void LogScheduled(ILogger logger, string taskType, Guid jobId, string? route);

    [LoggerMessage(LogLevel.Warning, "Could not schedule {TaskType}; the next tick tries again")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception, string taskType);
}
