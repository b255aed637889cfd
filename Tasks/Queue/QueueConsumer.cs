using System.Collections.Concurrent;
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
/// <remarks>
/// Jobs run in <see cref="TaskExecutorOptions.WorkerConcurrency"/> slots, and a slot is refilled as soon as its job
/// ends: a slow job never holds back the next read, and a publish wakes an idle loop at once (pub/sub), so an
/// entry waits for a free slot, not for a poll.
/// </remarks>
public sealed partial class QueueConsumer(
    IConnectionMultiplexer redis,
    RedisJobStreams queue,
    JobRunner runner,
    ExecutorIdentity identity,
    IOptions<TaskExecutorOptions> options,
    ILogger<QueueConsumer> logger) : BackgroundService
{
    /// <summary>A safety net only: publishes wake the loop; this catches a missed wake-up (e.g. a reconnect).</summary>
    private static readonly TimeSpan s_idlePoll = TimeSpan.FromMilliseconds(500);

    /// <summary>Extra wait past a lease's end before trying its job again, so clocks a moment apart agree it ran out.</summary>
    private static readonly TimeSpan s_leaseMargin = TimeSpan.FromMilliseconds(50);

    private readonly Channel<bool> _wakeUp = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    /// <summary>Ids of the entries running in this worker's slots.</summary>
    private readonly ConcurrentDictionary<string, byte> _running = new(StringComparer.Ordinal);

    public int Running => _running.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var slots = new SemaphoreSlim(settings.WorkerConcurrency, settings.WorkerConcurrency);
        var inFlight = new HashSet<Task>();
        var lastReclaim = DateTime.MinValue;
        var subscribed = false;
        var groupReady = false;

        while (!stoppingToken.IsCancellationRequested)
        {
            var free = 0;
            try
            {
                free = await TakeFreeSlotsAsync(slots, stoppingToken);
                var asked = free;
                if (!subscribed)
                {
                    // Inside the loop: a worker that starts while Redis is down waits for it instead of exiting.
                    await redis.GetSubscriber().SubscribeAsync(queue.WakeUpChannel, (_, _) => _wakeUp.Writer.TryWrite(true));
                    subscribed = true;
                }

                if (!groupReady)
                {
                    // Once, not per read: XGROUP CREATE answered BUSYGROUP (a round trip and an exception) on every
                    // loop, twice per job. After any Redis error it is checked again (Redis may have restarted empty).
                    await queue.EnsureConsumerGroupAsync();
                    groupReady = true;
                }
                var db = redis.GetDatabase();
                var entries = Array.Empty<StreamEntry>();
                if (DateTime.UtcNow - lastReclaim > settings.VisibilityTimeout / 4)
                {
                    lastReclaim = DateTime.UtcNow;
                    var reclaimed = await db.StreamAutoClaimAsync(settings.StreamKey, settings.ConsumerGroup, identity.Name,
                        (long)settings.VisibilityTimeout.TotalMilliseconds, "0-0", free);
                    // Our own entries still running here (a job slower than the visibility timeout) come back too:
                    // they are ours already, and running them twice side by side would race the job with itself.
                    entries = [.. reclaimed.ClaimedEntries.Where(e => !_running.ContainsKey(e.Id.ToString()))];
                    foreach (var entry in entries)
                    {
                        LogReclaimed(logger, entry.Id.ToString(), identity.Name);
                    }
                }
                if (entries.Length < free)
                {
                    entries = [.. entries, .. await db.StreamReadGroupAsync(settings.StreamKey, settings.ConsumerGroup, identity.Name, ">", free - entries.Length)];
                }

                foreach (var entry in entries)
                {
                    free--;
                    _running[entry.Id.ToString()] = 0;
                    Track(inFlight, RunInSlotAsync(db, entry, slots, stoppingToken));
                }
                if (free > 0)
                {
                    slots.Release(free);
                    free = 0;
                }

                // Fewer entries than free slots means the stream is drained: wait for a publish rather than read
                // again (that empty XREADGROUP was a round trip per job when jobs come one at a time).
                if (entries.Length < asked)
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
                if (free > 0)
                {
                    slots.Release(free);
                }
                groupReady = false;
                LogRedisUnavailable(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }

        // Let running jobs finish (or observe the cancellation) before the host disposes what they use.
        Task[] running;
        lock (inFlight)
        {
            running = [.. inFlight];
        }
        await Task.WhenAll(running);
    }

    /// <summary>Waits for at least one free slot, then takes every other slot that is free too.</summary>
    private static async Task<int> TakeFreeSlotsAsync(SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        await slots.WaitAsync(stoppingToken);
        var free = 1;
        while (slots.Wait(0, CancellationToken.None))
        {
            free++;
        }
        return free;
    }

    private static void Track(HashSet<Task> inFlight, Task task)
    {
        lock (inFlight)
        {
            inFlight.Add(task);
        }
        _ = task.ContinueWith(t => { lock (inFlight) { inFlight.Remove(t); } }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RunInSlotAsync(IDatabase db, StreamEntry entry, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            await HandleAsync(db, entry, stoppingToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Acknowledging failed: the entry stays pending and is reclaimed; the job row already has its outcome.
            LogRedisUnavailable(logger, ex);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _running.TryRemove(entry.Id.ToString(), out _);
            slots.Release();
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
        if (!Guid.TryParse(entry[RedisJobStreams.JobField].ToString(), out var jobId))
        {
            await queue.DeadLetterAsync(entry, "The entry names no job id.");
            Acknowledge(db, entry);
            return;
        }

        JobRunOutcome outcome;
        try
        {
            outcome = await RunAsync(jobId, Hint(entry), stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The database failed, not the task: leave the entry pending; it is reclaimed after the visibility timeout.
            LogRunFailed(logger, ex, jobId);
            return;
        }

        switch (outcome)
        {
            case JobRunOutcome.RetryLater:
                await queue.PublishAsync(jobId, entry[RedisJobStreams.TypeField].ToString(), entry[RedisJobStreams.TraceParentField].ToString(),
                    entry[RedisJobStreams.PayloadField] is { IsNull: false } payload ? payload.ToString() : null);
                break;
            case JobRunOutcome.Failed:
                await queue.DeadLetterAsync(entry, $"Job {jobId} failed; its error is kept in the jobs table.");
                break;
            case JobRunOutcome.LeasedElsewhere:
                // Still leased after waiting a whole lease: its holder is alive and renewing, or the clocks disagree.
                // Leave the entry pending; it is reclaimed again after the visibility timeout.
                return;
        }

        Acknowledge(db, entry);
    }

    /// <summary>
    /// Runs the job; when the entry came back (reclaimed) a moment before the job's lease ran out, waits for the
    /// lease to end and runs it then. Acknowledging such an entry at once would leave its job running forever,
    /// because the stream's idle clock starts at delivery, a little before the database lease does.
    /// </summary>
    private async Task<JobRunOutcome> RunAsync(Guid jobId, JobHint? hint, CancellationToken stoppingToken)
    {
        var waitedUntil = DateTime.UtcNow + options.Value.VisibilityTimeout + s_leaseMargin;
        while (true)
        {
            var outcome = await runner.RunAsync(jobId, identity.Name, hint, stoppingToken);

            if (outcome != JobRunOutcome.LeasedElsewhere
                || await runner.LeaseExpiresAtAsync(jobId, stoppingToken) is not { } until
                || until + s_leaseMargin > waitedUntil)
            {
                return outcome;
            }

            LogWaitingForLease(logger, jobId, until);
            var wait = until + s_leaseMargin - DateTime.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, stoppingToken);
            }
        }
    }

    /// <summary>The entry's type and payload, when it carries both (entries written before the payload field do not).</summary>
    private static JobHint? Hint(StreamEntry entry) =>
        entry[RedisJobStreams.TypeField] is { IsNull: false } type && entry[RedisJobStreams.PayloadField] is { IsNull: false } payload
            ? new JobHint(type.ToString(), payload.ToString())
            : null;

    private void Acknowledge(IDatabase db, StreamEntry entry)
    {
        var settings = options.Value;
        // Sent after the commit but not awaited (fire and forget, in order on the connection): waiting for the reply
        // was one more wake-up per job. A lost ack only leaves the entry pending; it is reclaimed after the visibility
        // timeout and its job, already finished in the table, is skipped and acknowledged then. XDEL keeps the stream short.
        db.StreamAcknowledge(settings.StreamKey, settings.ConsumerGroup, entry.Id, CommandFlags.FireAndForget);
        db.StreamDelete(settings.StreamKey, [entry.Id], CommandFlags.FireAndForget);
    }

    [LoggerMessage(LogLevel.Information, "Reclaimed queue entry {EntryId} left pending past the visibility timeout; {Consumer} runs it now")]
    private static partial void LogReclaimed(ILogger logger, string entryId, string consumer);

    [LoggerMessage(LogLevel.Information, "Job {JobId} of a reclaimed entry is still leased until {Until:O}; running it once the lease has run out")]
    private static partial void LogWaitingForLease(ILogger logger, Guid jobId, DateTime until);

    [LoggerMessage(LogLevel.Error, "Running job {JobId} failed outside its task; its entry stays pending for redelivery")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(LogLevel.Warning, "The job queue is unavailable; retrying")]
    private static partial void LogRedisUnavailable(ILogger logger, Exception exception);
}
