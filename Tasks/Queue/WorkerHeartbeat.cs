using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using LearnApp.Tasks.Execution;

namespace LearnApp.Tasks.Queue;

/// <summary>Tells the Apis this worker is alive (and how busy), so hybrid routing sends it heavy tasks.</summary>
public sealed partial class WorkerHeartbeat(
    IConnectionMultiplexer redis,
    QueueConsumer consumer,
    ExecutorIdentity identity,
    IOptions<TaskExecutorOptions> options,
    ILogger<WorkerHeartbeat> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.HeartbeatInterval);
        do
        {
            try
            {
                var beat = new WorkerHeartbeatRecord(identity.Name, DateTime.UtcNow, consumer.Running);
                await redis.GetDatabase().HashSetAsync(settings.WorkersKey, identity.Name, beat.Format());
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogHeartbeatFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // Leave at once rather than waiting for the timeout, so Apis stop routing here.
            await redis.GetDatabase().HashDeleteAsync(options.Value.WorkersKey, identity.Name);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogHeartbeatFailed(logger, ex);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not write the worker heartbeat")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception);
}
