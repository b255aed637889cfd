using System.Diagnostics;
using System.Text.Json;
using LearnApp.Data;
using LearnApp.Data.Entities;
using LearnApp.Tasks.Execution;
using LearnApp.Tasks.InProcess;
using LearnApp.Tasks.Queue;
using LearnApp.Tasks.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LearnApp.Tasks;

/// <summary>
/// Creates job rows and sends committed jobs on their way. The row is written first; sending is best effort, since
/// the sweeper dispatches again any job that stays queued (e.g. when the process dies between commit and send).
/// </summary>
public sealed partial class TaskDispatcher(
    TaskRouter router,
    InProcessJobChannel inProcess,
    ExecutorIdentity identity,
    IServiceProvider services,
    IOptions<TaskExecutorOptions> options,
    ILogger<TaskDispatcher> logger)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private static readonly string s_insertJob = JobRowSql.Insert(first: 0);

    /// <summary>
    /// A new job, routed now; write it (<see cref="JobRowSql"/>) and commit before dispatching it. A job for this
    /// process's own channel is created already claimed by this executor (running, attempt 1, with a lease), so running
    /// it needs no claim round trip; if the process dies first, the lease runs out and the sweeper hands it on, as for
    /// a crash mid-run. A job for the queue is created queued, for whichever worker claims it.
    /// </summary>
    public Job NewJob(string taskType, Guid? userId, object? payload)
    {
        var now = DateTime.UtcNow;
        var route = router.Choose(taskType);
        var claimedHere = route == TaskRoute.InProcess;
        return new Job
        {
            Id = Guid.CreateVersion7(),
            Type = taskType,
            Status = claimedHere ? JobStatus.Running : JobStatus.Queued,
            UserId = userId,
            Payload = payload is null ? null : JsonSerializer.Serialize(payload, payload.GetType(), s_json),
            CreatedAt = now,
            DispatchedAt = now,
            DispatchedTo = route,
            TraceParent = Activity.Current?.Id,
            Attempts = claimedHere ? 1 : 0,
            StartedAt = claimedHere ? now : null,
            ExecutedBy = claimedHere ? identity.Name : null,
            LeaseExpiresAt = claimedHere ? now + options.Value.VisibilityTimeout : null,
        };
    }

    /// <summary>Creates, commits and dispatches a job in one go.</summary>
    public async Task<Job> EnqueueAsync(LearnAppDbContext db, string taskType, Guid? userId, object? payload, CancellationToken cancellationToken)
    {
        var job = NewJob(taskType, userId, payload);
        // The same path as the review and upload writers' job rows (on PostgreSQL an unparsed batch, on SQLite a writer's turn).
        await AllOrNothingSql.ExecuteAsync(db, s_insertJob, JobRowSql.Values(job), cancellationToken);
        await DispatchAsync(job, cancellationToken);
        return job;
    }

    /// <summary>Sends a committed job to the route chosen when it was created.</summary>
    public async Task DispatchAsync(Job job, CancellationToken cancellationToken)
    {
        if (job.DispatchedTo == TaskRoute.Queue)
        {
            var failure = await TryPublishAsync(job);
            if (failure is null)
            {
                return;
            }

            if (options.Value.Executor != TaskExecutorMode.Hybrid)
            {
                // Queue mode has no other path: the row stays queued and the sweeper publishes it again.
                LogQueueSendFailed(logger, job.Id, job.Type, failure);
                return;
            }

            LogFallingBack(logger, job.Id, job.Type, failure);
            await MarkInProcessAsync(job.Id, cancellationToken);
            await inProcess.EnqueueAsync(job.Id, cancellationToken);
            return;
        }

        await inProcess.EnqueueClaimedAsync(job, cancellationToken);
    }

    /// <summary>Publishes to the stream; returns why it could not, or null.</summary>
    private async Task<string?> TryPublishAsync(Job job)
    {
        var stream = services.GetService<RedisJobStreams>();
        if (stream is null)
        {
            return "no Redis connection is configured (ConnectionStrings:cache)";
        }

        try
        {
            await stream.PublishAsync(job.Id, job.Type, job.TraceParent, job.Payload);
            return null;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return ex.Message;
        }
    }

    private async Task MarkInProcessAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetBackgroundDbContext();
        await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(set => set.SetProperty(j => j.DispatchedTo, TaskRoute.InProcess), cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "Could not queue job {JobId} ({TaskType}), it stays queued for the sweeper: {Reason}")]
    private static partial void LogQueueSendFailed(ILogger logger, Guid jobId, string taskType, string reason);

    [LoggerMessage(LogLevel.Warning, "Queue unavailable for job {JobId} ({TaskType}), running it in-process instead: {Reason}")]
    private static partial void LogFallingBack(ILogger logger, Guid jobId, string taskType, string reason);
}
