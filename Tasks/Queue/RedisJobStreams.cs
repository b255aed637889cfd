using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LearnApp.Tasks.Queue;

/// <summary>The queue path: a Redis stream read by the workers' consumer group, plus a dead-letter stream.</summary>
public sealed class RedisJobStreams(IConnectionMultiplexer redis, IOptions<TaskExecutorOptions> options)
{
    public const string JobField = "job";
    public const string TypeField = "type";
    public const string TraceParentField = "traceparent";
    /// <summary>The job's payload, so a worker can read ahead with its claim (<see cref="Execution.JobHint"/>).</summary>
    public const string PayloadField = "payload";
    public const string ErrorField = "error";

    /// <summary>Pub/sub channel that wakes idle consumers at once instead of waiting for their next poll.</summary>
    public RedisChannel WakeUpChannel => RedisChannel.Literal(options.Value.StreamKey + ":wake");

    public bool IsConnected => redis.IsConnected;

    /// <summary>
    /// Adds the job's entry and wakes the consumers in one write: Redis runs a connection's commands in order, so
    /// the entry is in the stream before any consumer hears the wake-up. The wake-up used to wait for XADD's reply,
    /// a round trip that every queued job spent before a worker could start on it.
    /// </summary>
    public async Task PublishAsync(Guid jobId, string taskType, string? traceParent, string? payload)
    {
        var batch = redis.GetDatabase().CreateBatch();
        NameValueEntry[] fields = [new(JobField, jobId.ToString()), new(TypeField, taskType), new(TraceParentField, traceParent ?? string.Empty)];
        var added = batch.StreamAddAsync(options.Value.StreamKey, payload is null ? fields : [.. fields, new(PayloadField, payload)]);
        _ = batch.PublishAsync(WakeUpChannel, jobId.ToString(), CommandFlags.FireAndForget);
        batch.Execute();
        await added;
    }

    public async Task DeadLetterAsync(StreamEntry entry, string error)
    {
        var db = redis.GetDatabase();
        await db.StreamAddAsync(options.Value.DeadLetterStreamKey,
        [
            new NameValueEntry(JobField, entry[JobField]),
            new NameValueEntry(TypeField, entry[TypeField]),
            new NameValueEntry("entry", entry.Id),
            new NameValueEntry(ErrorField, error),
        ], maxLength: options.Value.DeadLetterMaxLength);
    }

    public async Task EnsureConsumerGroupAsync()
    {
        try
        {
            await redis.GetDatabase().StreamCreateConsumerGroupAsync(options.Value.StreamKey, options.Value.ConsumerGroup, "0-0", createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another worker created it first.
        }
    }

    /// <summary>Entries waiting or in flight: finished entries are acknowledged and deleted.</summary>
    public async Task<long> DepthAsync() => await redis.GetDatabase().StreamLengthAsync(options.Value.StreamKey);

    public async Task<long> DeadLetterCountAsync() => await redis.GetDatabase().StreamLengthAsync(options.Value.DeadLetterStreamKey);

    public async Task<IReadOnlyList<WorkerHeartbeatRecord>> ReadWorkersAsync()
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(options.Value.WorkersKey);
        return [.. entries.Select(e => WorkerHeartbeatRecord.Parse(e.Name!, e.Value!))];
    }
}

public sealed record WorkerHeartbeatRecord(string Id, DateTime LastSeen, int Running)
{
    public string Format() => string.Create(CultureInfo.InvariantCulture, $"{LastSeen.Ticks}|{Running}");

    public static WorkerHeartbeatRecord Parse(string id, string value)
    {
        var parts = value.Split('|');
        var ticks = parts.Length > 0 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var t) ? t : 0;
        var running = parts.Length > 1 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var r) ? r : 0;
        return new WorkerHeartbeatRecord(id, new DateTime(ticks, DateTimeKind.Utc), running);
    }
}
