using System.Threading.Channels;
using LearnApp.Tasks.Execution;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LearnApp.Tasks.Queue;

/// <summary>
/// The worker's loop: reads new entries for its consumer name, reclaims entries other consumers left pending past
/// the visibility timeout, runs each job, and acknowledges only after the job's outcome is committed.
/// </summary>
public sealed partial class QueueConsumer(
    IConnectionMultiplexer redis,
    RedisJobStreams queue,
    JobRunner runner,
    ExecutorIdentity identity,
    IOptions<TaskExecutorOptions> options,
    ILogger<QueueConsumer> logger) : BackgroundService
{
    private static readonly TimeSpan s_idlePoll = TimeSpan.FromMilliseconds(500);
    private readonly Channel<bool> _wakeUp = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int _running;

    public int Running => Volatile.Read(ref _running);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await redis.GetSubscriber().SubscribeAsync(queue.WakeUpChannel, (_, _) => _wakeUp.Writer.TryWrite(true));
        var lastReclaim = DateTime.MinValue;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await queue.EnsureConsumerGroupAsync();
                var db = redis.GetDatabase();
                if (DateTime.UtcNow - lastReclaim > settings.VisibilityTimeout / 4)
                {
                    lastReclaim = DateTime.UtcNow;
                    var reclaimed = await db.StreamAutoClaimAsync(settings.StreamKey, settings.ConsumerGroup, identity.Name,
                        (long)settings.VisibilityTimeout.TotalMilliseconds, "0-0", 16);
                    foreach (var entry in reclaimed.ClaimedEntries)
                    {
                        LogReclaimed(logger, entry.Id.ToString(), identity.Name);
                        await HandleAsync(db, entry, stoppingToken);
                    }
                }

                var entries = await db.StreamReadGroupAsync(settings.StreamKey, settings.ConsumerGroup, identity.Name, ">", 16);
                foreach (var entry in entries)
                {
                    await HandleAsync(db, entry, stoppingToken);
                }

                if (entries.Length == 0)
                {
                    await WaitForWorkAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRedisUnavailable(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(s_idlePoll);
        try
        {
            await _wakeUp.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task HandleAsync(IDatabase db, StreamEntry entry, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!Guid.TryParse(entry[RedisJobStreams.JobField].ToString(), out var jobId))
        {
            await queue.DeadLetterAsync(entry, "The entry names no job id.");
            await AcknowledgeAsync(db, entry);
            return;
        }

        Interlocked.Increment(ref _running);
        JobRunOutcome outcome;
        try
        {
            outcome = await runner.RunAsync(jobId, identity.Name, stoppingToken);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }

        switch (outcome)
        {
            case JobRunOutcome.RetryLater:
                await queue.PublishAsync(jobId, entry[RedisJobStreams.TypeField].ToString(), entry[RedisJobStreams.TraceParentField].ToString());
                break;
            case JobRunOutcome.Failed:
                await queue.DeadLetterAsync(entry, $"Job {jobId} failed; its error is kept in the jobs table.");
                break;
        }

        await AcknowledgeAsync(db, entry);
    }

    private async Task AcknowledgeAsync(IDatabase db, StreamEntry entry)
    {
        var settings = options.Value;
        await db.StreamAcknowledgeAsync(settings.StreamKey, settings.ConsumerGroup, entry.Id);
        await db.StreamDeleteAsync(settings.StreamKey, [entry.Id]);
    }

    [LoggerMessage(LogLevel.Information, "Reclaimed queue entry {EntryId} left pending past the visibility timeout; {Consumer} runs it now")]
    private static partial void LogReclaimed(ILogger logger, string entryId, string consumer);

    [LoggerMessage(LogLevel.Warning, "The job queue is unavailable; retrying")]
    private static partial void LogRedisUnavailable(ILogger logger, Exception exception);
}
