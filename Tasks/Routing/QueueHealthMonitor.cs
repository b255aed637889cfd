using LearnApp.Tasks.Queue;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LearnApp.Tasks.Routing;

/// <summary>Checks Redis and the worker heartbeats on a timer, and logs every change of where heavy tasks go.</summary>
public sealed partial class QueueHealthMonitor(
    IServiceProvider services,
    QueueAvailability availability,
    IOptions<TaskExecutorOptions> options,
    ILogger<QueueHealthMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var queue = (RedisJobStreams?)services.GetService(typeof(RedisJobStreams));
        var redis = (IConnectionMultiplexer?)services.GetService(typeof(IConnectionMultiplexer));
        using var timer = new PeriodicTimer(settings.HeartbeatInterval / 2);
        var wasUsable = (bool?)null;
        do
        {
            var snapshot = await CheckAsync(redis, queue, settings);
            availability.Update(snapshot);
            var usable = availability.QueueUsable;
            if (usable != wasUsable)
            {
                LogRouteChanged(logger, usable ? "queue" : "in-process", snapshot.RedisAnswers, snapshot.AliveWorkers.Count);
                wasUsable = usable;
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }

    private static async Task<QueueAvailability.Snapshot> CheckAsync(IConnectionMultiplexer? redis, RedisJobStreams? queue, TaskExecutorOptions settings)
    {
        var now = DateTime.UtcNow;
        if (redis is null || queue is null || !redis.IsConnected)
        {
            return new QueueAvailability.Snapshot(false, [], now);
        }

        try
        {
            await redis.GetDatabase().PingAsync();
            var workers = await queue.ReadWorkersAsync();
            var alive = workers.Where(w => now - w.LastSeen < settings.WorkerTimeout)
                .Select(w => new WorkerInfo(w.Id, w.LastSeen, w.Running))
                .ToList();
            return new QueueAvailability.Snapshot(true, alive, now);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new QueueAvailability.Snapshot(false, [], now);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Heavy tasks now run {Route} (Redis answers: {RedisAnswers}, live workers: {Workers})")]
    private static partial void LogRouteChanged(ILogger logger, string route, bool redisAnswers, int workers);
}
