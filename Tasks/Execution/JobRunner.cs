using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using LearnApp.Data;
using LearnApp.Data.Entities;
using LearnApp.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnApp.Tasks.Execution;

/// <summary>
/// Runs one job by id, whichever path delivered it. A conditional update claims the job (queued, or running with an
/// expired lease), so duplicates from redelivery or the sweeper are harmless; the handler's effect and the job's
/// completion commit together.
/// </summary>
public sealed partial class JobRunner(
    IServiceScopeFactory scopeFactory,
    IEnumerable<ITaskHandler> handlers,
    IOptions<TaskExecutorOptions> options,
    ILogger<JobRunner> logger)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, ITaskHandler> _handlers = handlers.ToDictionary(h => h.TaskType, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, string> _completeSql = new();
    private readonly ConcurrentDictionary<string, string> _effectSql = new(StringComparer.Ordinal);

    public Task<JobRunOutcome> RunAsync(Guid jobId, string executorName, CancellationToken cancellationToken) =>
        RunAsync(jobId, executorName, hint: null, cancellationToken);

    /// <summary>
    /// Runs the job; with a <paramref name="hint"/> (what its queue entry says of it) the handler's first read goes
    /// with the claim, and reaches the handler only if the claimed job has the hinted type and payload.
    /// </summary>
    public async Task<JobRunOutcome> RunAsync(Guid jobId, string executorName, JobHint? hint, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetBackgroundDbContext();
        var settings = options.Value;

        var now = DateTime.UtcNow;
        var (job, prefetched) = await JobClaim.ClaimAsync(db, jobId, now, now + settings.VisibilityTimeout, executorName, PrefetchFor(hint),
            error => LogReadAheadFailed(logger, error, jobId, hint?.Type), cancellationToken);
        if (job is null)
        {
            return await LeaseExpiresAtAsync(db, jobId, cancellationToken) is { } until && until >= now
                ? JobRunOutcome.LeasedElsewhere
                : JobRunOutcome.Skipped;
        }

        // The read was made for the entry's payload; the row is what counts.
        var prefetchHolds = hint is { } made && made.Type == job.Type && made.Payload == job.Payload;
        return await RunAttemptAsync(db, job, executorName, prefetchHolds ? prefetched : null, cancellationToken);
    }

    private (TaskPrefetch, PrefetchQuery)? PrefetchFor(JobHint? hint) =>
        hint is { } made && _handlers.TryGetValue(made.Type, out var handler) && handler.Prefetch is { } prefetch
            && prefetch.QueryFor(made.Payload) is { } query
            ? (prefetch, query)
            : null;

    /// <summary>
    /// Runs a job this executor created already claimed (<see cref="TaskDispatcher.NewJob"/> for the in-process
    /// route: the claim was part of the request's own write, one round trip less per job). If it waited in the
    /// channel until its lease ran out, the lease is renewed first, while the attempt is still ours: an attempt
    /// that never started keeps its number. If it is no longer ours, the sweeper has handed it on and it is skipped.
    /// </summary>
    public async Task<JobRunOutcome> RunClaimedAsync(Job job, string executorName, CancellationToken cancellationToken)
    {
        if (job.Status != JobStatus.Running || job.ExecutedBy != executorName || job.LeaseExpiresAt is not { } lease)
        {
            return await RunAsync(job.Id, executorName, cancellationToken);
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetBackgroundDbContext();
        var now = DateTime.UtcNow;
        if (lease <= now)
        {
            var renewedUntil = now + options.Value.VisibilityTimeout;
            if (await OwnedAttempt(db, job, executorName).ExecuteUpdateAsync(set => set
                    .SetProperty(j => j.LeaseExpiresAt, renewedUntil)
                    .SetProperty(j => j.StartedAt, now), cancellationToken) == 0)
            {
                LogLeaseLost(logger, job.Id, job.Type);
                return JobRunOutcome.Skipped;
            }
            job.LeaseExpiresAt = renewedUntil;
            job.StartedAt = now;
        }

        return await RunAttemptAsync(db, job, executorName, prefetched: null, cancellationToken);
    }

    /// <summary>
    /// Runs jobs this executor created already claimed, as <see cref="RunClaimedAsync"/> runs one. On PostgreSQL the
    /// effect-only ones whose lease still holds send their statements in one round trip, each its own implicit
    /// transaction, so a job whose statement fails fails alone; the others run one by one. Outcomes in the jobs' order.
    /// </summary>
    public async Task<JobRunOutcome[]> RunClaimedTogetherAsync(IReadOnlyList<Job> jobs, string executorName, CancellationToken cancellationToken)
    {
        if (jobs.Count == 1)
        {
            return [await RunClaimedAsync(jobs[0], executorName, cancellationToken)];
        }

        var outcomes = new JobRunOutcome[jobs.Count];
        var now = DateTime.UtcNow;
        var together = Enumerable.Range(0, jobs.Count).Where(i => CanRunTogether(jobs[i], executorName, now)).ToHashSet();
        if (together.Count < 2 || !await TryRunEffectsTogetherAsync(jobs, [.. together], executorName, outcomes, cancellationToken))
        {
            together.Clear();
        }

        for (var i = 0; i < jobs.Count; i++)
        {
            if (!together.Contains(i))
            {
                outcomes[i] = await RunClaimedAsync(jobs[i], executorName, cancellationToken);
            }
        }
        return outcomes;
    }

    private bool CanRunTogether(Job job, string executorName, DateTime now) =>
        job.Status == JobStatus.Running && job.ExecutedBy == executorName && job.LeaseExpiresAt > now
        && job.Attempts <= options.Value.MaxAttempts && _handlers.TryGetValue(job.Type, out var handler) && handler.EffectOnly;

    /// <summary>Runs the jobs at <paramref name="together"/> in one round trip; false (and nothing run) when the database is not PostgreSQL.</summary>
    private async Task<bool> TryRunEffectsTogetherAsync(
        IReadOnlyList<Job> jobs, int[] together, string executorName, JobRunOutcome[] outcomes, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        if (scope.ServiceProvider.GetBackgroundDbContext() is not PostgresLearnAppDbContext db)
        {
            return false;
        }

        var caller = Activity.Current;
        var activities = new Activity?[jobs.Count];
        var writes = new List<(string Sql, IReadOnlyList<object?> Arguments)>(together.Length);
        var written = new List<(int Index, TaskEffect Effect)>(together.Length);
        try
        {
            foreach (var i in together)
            {
                var job = jobs[i];
                // Each job's span joins its own request's trace; none is the parent of the next.
                var activity = activities[i] = StartActivity(job, executorName);
                activity?.SetTag("learnapp.job.batch_size", together.Length);
                try
                {
                    var (sql, arguments, effect) = await EffectWriteAsync(db, _handlers[job.Type], job, executorName, prefetched: null, cancellationToken);
                    writes.Add((sql, arguments));
                    written.Add((i, effect));
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    outcomes[i] = await AttemptFailedAsync(db, job, executorName, ex, activity);
                }
                Activity.Current = caller;
            }
            if (writes.Count == 0)
            {
                return true;
            }

            // The round trip's own span goes under the first job's: it serves them all.
            Activity.Current = activities[written[0].Index] ?? caller;
            var (rows, error) = await PostgresSql.ExecuteEachAsync(db, writes, cancellationToken);
            Activity.Current = caller;
            for (var w = 0; w < written.Count; w++)
            {
                var (i, effect) = written[w];
                var (job, activity) = (jobs[i], activities[i]);
                outcomes[i] = rows[w] switch
                {
                    1 => Succeeded(job, executorName, activity),
                    0 => await EffectChangedNothingAsync(db, job, executorName, effect, activity),
                    _ => await AttemptFailedAsync(db, job, executorName, error ?? new InvalidOperationException("The job's statement reported no outcome."), activity),
                };
            }
            return true;
        }
        finally
        {
            foreach (var activity in activities)
            {
                activity?.Dispose();
            }
            Activity.Current = caller;
        }
    }

    private JobRunOutcome Succeeded(Job job, string executorName, Activity? activity)
    {
        activity?.SetStatus(ActivityStatusCode.Ok);
        LogSucceeded(logger, job.Id, job.Type, executorName, job.Attempts);
        return JobRunOutcome.Succeeded;
    }

    /// <summary>One attempt of a job this executor holds the lease of.</summary>
    private async Task<JobRunOutcome> RunAttemptAsync(LearnAppDbContext db, Job job, string executorName, object? prefetched, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var activity = StartActivity(job, executorName);

        if (job.Attempts > settings.MaxAttempts)
        {
            // Earlier attempts died with their process (e.g. a poison job that crashes the worker): give up.
            return await FailAsync(db, job, executorName, $"Gave up after {settings.MaxAttempts} attempts that never finished.", cancellationToken);
        }

        if (!_handlers.TryGetValue(job.Type, out var handler))
        {
            return await FailAsync(db, job, executorName, $"No handler for task type '{job.Type}'.", cancellationToken);
        }

        try
        {
            if (handler.EffectOnly && db is PostgresLearnAppDbContext)
            {
                return await RunEffectOnlyAsync(db, handler, job, executorName, prefetched, activity, cancellationToken);
            }

            using var turn = await SqliteWriterTurns.WaitTurnAsync(db, cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var execution = new TaskExecution(job, db, executorName) { Prefetched = prefetched };
            var result = await handler.ExecuteAsync(execution, cancellationToken);
            if (db.ChangeTracker.HasChanges())
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            var completion = CompletionParameters(job, executorName, result);
            if (execution.Effect is not { } effect)
            {
                if (await db.Database.ExecuteSqlRawAsync(CompleteSql(db, 0), completion, cancellationToken) == 0)
                {
                    // The lease ran out and another executor took the job over: its run counts, not ours.
                    await transaction.RollbackAsync(cancellationToken);
                    LogLeaseLost(logger, job.Id, job.Type);
                    return JobRunOutcome.Skipped;
                }
            }
            else if (await db.Database.ExecuteSqlRawAsync(EffectAndCompleteSql(db, effect), [.. (object[])effect.Sql.GetArguments(), .. completion], cancellationToken) != 2)
            {
                // Effect and completion change one row each. Anything else: the effect found no row, or the lease was lost.
                await transaction.RollbackAsync(cancellationToken);
                return await EffectChangedNothingAsync(db, job, executorName, effect, activity);
            }

            await transaction.CommitAsync(cancellationToken);
            activity?.SetStatus(ActivityStatusCode.Ok);
            LogSucceeded(logger, job.Id, job.Type, executorName, job.Attempts);
            return JobRunOutcome.Succeeded;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return await AttemptFailedAsync(db, job, executorName, ex, activity);
        }
    }

    /// <summary>The attempt threw: the job is queued for another, or failed for good when none is left or none can help.</summary>
    private async Task<JobRunOutcome> AttemptFailedAsync(LearnAppDbContext db, Job job, string executorName, Exception exception, Activity? activity)
    {
        db.ChangeTracker.Clear();
        // The innermost message names the real cause (EF wraps database errors in generic ones).
        var error = exception.GetBaseException().Message;
        activity?.SetStatus(ActivityStatusCode.Error, error);
        if (exception is PermanentTaskException || job.Attempts >= options.Value.MaxAttempts)
        {
            return await FailAsync(db, job, executorName, error, CancellationToken.None);
        }

        LogAttemptFailed(logger, exception, job.Id, job.Type, job.Attempts);
        await OwnedAttempt(db, job, executorName).ExecuteUpdateAsync(set => set
            .SetProperty(j => j.Status, JobStatus.Queued)
            .SetProperty(j => j.Error, error)
            .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), CancellationToken.None);
        return JobRunOutcome.RetryLater;
    }

    /// <summary>
    /// A handler whose only write is its effect, on PostgreSQL: effect and completion are one statement, so no
    /// BEGIN/COMMIT (one round trip less). It locks the job row while the attempt is
    /// still ours, applies the effect only then, and completes the job only when the effect changed its row.
    /// SQLite keeps the transaction: it has no round trips to save and no FOR UPDATE.
    /// </summary>
    private async Task<JobRunOutcome> RunEffectOnlyAsync(LearnAppDbContext db, ITaskHandler handler, Job job, string executorName, object? prefetched, Activity? activity, CancellationToken cancellationToken)
    {
        var write = await EffectWriteAsync(db, handler, job, executorName, prefetched, cancellationToken);
        return await PostgresSql.ExecuteAsync((PostgresLearnAppDbContext)db, write.Sql, write.Arguments, cancellationToken) == 1
            ? Succeeded(job, executorName, activity)
            : await EffectChangedNothingAsync(db, job, executorName, write.Effect, activity);
    }

    /// <summary>An effect-only handler's run: its effect and the job's completion as one statement (see <see cref="OwnedEffectAndCompleteSql"/>).</summary>
    private async Task<(string Sql, object?[] Arguments, TaskEffect Effect)> EffectWriteAsync(
        LearnAppDbContext db, ITaskHandler handler, Job job, string executorName, object? prefetched, CancellationToken cancellationToken)
    {
        var execution = new TaskExecution(job, db, executorName) { Prefetched = prefetched };
        var result = await handler.ExecuteAsync(execution, cancellationToken);
        var effect = execution.Effect ?? throw new InvalidOperationException($"The {job.Type} handler is effect-only but set no effect.");
        if (db.ChangeTracker.HasChanges())
        {
            // Nothing would save them: there is no SaveChanges on this path.
            throw new InvalidOperationException($"The {job.Type} handler is effect-only but changed tracked entities.");
        }
        var sql = _effectSql.GetOrAdd(effect.Sql.Format, format => OwnedEffectAndCompleteSql(db, format, effect.Sql.ArgumentCount));
        return (sql, [.. effect.Sql.GetArguments(), .. CompletionParameters(job, executorName, result)], effect);
    }

    /// <summary>
    /// The effect found no row, or the attempt is no longer ours; <see cref="FailAsync"/> tells them apart, since it
    /// only fails an attempt that is still ours.
    /// </summary>
    private async Task<JobRunOutcome> EffectChangedNothingAsync(LearnAppDbContext db, Job job, string executorName, TaskEffect effect, Activity? activity)
    {
        activity?.SetStatus(ActivityStatusCode.Error, effect.NoRowError);
        var failed = await FailAsync(db, job, executorName, effect.NoRowError, CancellationToken.None);
        if (failed == JobRunOutcome.Skipped)
        {
            LogLeaseLost(logger, job.Id, job.Type);
        }
        return failed;
    }

    private static object[] CompletionParameters(Job job, string executorName, object? result) =>
        [nameof(JobStatus.Succeeded), (result is null ? null : JsonSerializer.Serialize(result, result.GetType(), s_json))!, DateTime.UtcNow,
            job.Id, nameof(JobStatus.Running), executorName, job.Attempts];

    /// <summary>When the lease of a running job runs out; null when the job is not running.</summary>
    public async Task<DateTime?> LeaseExpiresAtAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        return await LeaseExpiresAtAsync(scope.ServiceProvider.GetBackgroundDbContext(), jobId, cancellationToken);
    }

    /// <summary>
    /// Marks the claimed attempt succeeded, in the same form as <see cref="OwnedAttempt"/>; 0 rows when the lease was
    /// lost. Placeholders start at <paramref name="first"/>, after an effect's own. Raw SQL where ExecuteUpdate was:
    /// EF's per-call work on an uncompiled ExecuteUpdate cost more than the statement itself.
    /// </summary>
    private string CompleteSql(LearnAppDbContext db, int first) => _completeSql.GetOrAdd(first, _ =>
    {
        var (table, column) = Names(db);
        string P(int index) => $"{{{first + index}}}";
        return $"UPDATE {table} SET {column(nameof(Job.Status))} = {P(0)}, {column(nameof(Job.Result))} = {P(1)}, "
            + $"{column(nameof(Job.Error))} = NULL, {column(nameof(Job.FinishedAt))} = {P(2)}, {column(nameof(Job.LeaseExpiresAt))} = NULL "
            + $"WHERE {OwnedCondition(db, first)}";
    });

    /// <summary><see cref="OwnedAttempt"/> in SQL, with the completion's placeholders 3 to 6 (counted from <paramref name="first"/>).</summary>
    private static string OwnedCondition(LearnAppDbContext db, int first)
    {
        var (_, column) = Names(db);
        string P(int index) => $"{{{first + index}}}";
        return $"{column(nameof(Job.Id))} = {P(3)} AND {column(nameof(Job.Status))} = {P(4)} "
            + $"AND {column(nameof(Job.ExecutedBy))} = {P(5)} AND {column(nameof(Job.Attempts))} = {P(6)}";
    }

    /// <summary>
    /// PostgreSQL: lock the job row if the attempt is still ours, run the effect (an UPDATE … WHERE …) only then, and
    /// complete the job only if the effect changed a row. The effect's placeholders come first.
    /// </summary>
    private string OwnedEffectAndCompleteSql(LearnAppDbContext db, string effect, int first)
    {
        var (table, _) = Names(db);
        return $"WITH owned AS (SELECT 1 FROM {table} WHERE {OwnedCondition(db, first)} FOR UPDATE), "
            + $"effect AS ({effect} AND EXISTS (SELECT 1 FROM owned) RETURNING 1) "
            + $"{CompleteSql(db, first)} AND EXISTS (SELECT 1 FROM effect)";
    }

    /// <summary>The jobs table and a column lookup, as the model maps them, in the provider's quoting.</summary>
    internal static (string Table, Func<string, string> Column) Names(LearnAppDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(Job))!;
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        return (sql.DelimitIdentifier(table.Name, table.Schema), property => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!));
    }

    /// <summary>The handler's effect (its placeholders stay parameters, the format is the handler's constant text) and then the completion.</summary>
    private string EffectAndCompleteSql(LearnAppDbContext db, TaskEffect effect) =>
        effect.Sql.Format + ";\n" + CompleteSql(db, effect.Sql.ArgumentCount);

    private static Task<DateTime?> LeaseExpiresAtAsync(LearnAppDbContext db, Guid jobId, CancellationToken cancellationToken) =>
        db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Running).Select(j => j.LeaseExpiresAt).FirstOrDefaultAsync(cancellationToken);

    private static IQueryable<Job> OwnedAttempt(LearnAppDbContext db, Job job, string executorName) =>
        db.Jobs.Where(j => j.Id == job.Id && j.Status == JobStatus.Running
            && j.ExecutedBy == executorName && j.Attempts == job.Attempts);

    private async Task<JobRunOutcome> FailAsync(LearnAppDbContext db, Job job, string executorName, string error, CancellationToken cancellationToken)
    {
        var finishedAt = DateTime.UtcNow;
        var failed = await OwnedAttempt(db, job, executorName).ExecuteUpdateAsync(set => set
            .SetProperty(j => j.Status, JobStatus.Failed)
            .SetProperty(j => j.Error, error)
            .SetProperty(j => j.FinishedAt, finishedAt)
            .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken);
        if (failed == 0)
        {
            return JobRunOutcome.Skipped;
        }

        LogFailed(logger, job.Id, job.Type, job.Attempts, error);
        return JobRunOutcome.Failed;
    }

    private static Activity? StartActivity(Job job, string executorName)
    {
        // The job row carries the creating request's trace context, so its execution joins that trace on any path.
        ActivityContext.TryParse(job.TraceParent, null, out var parent);
        var activity = LearnAppTelemetry.ActivitySource.StartActivity($"task {job.Type}", ActivityKind.Consumer, parent);
        activity?.SetTag("learnapp.job.id", job.Id);
        activity?.SetTag("learnapp.job.type", job.Type);
        activity?.SetTag("learnapp.job.attempt", job.Attempts);
        activity?.SetTag("learnapp.job.executor", executorName);
        return activity;
    }

    [LoggerMessage(LogLevel.Debug, "Job {JobId} ({TaskType}) succeeded on {Executor}, attempt {Attempt}")]
    private static partial void LogSucceeded(ILogger logger, Guid jobId, string taskType, string executor, int attempt);

    [LoggerMessage(LogLevel.Warning, "Job {JobId} ({TaskType}) attempt {Attempt} failed; it will be retried")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, Guid jobId, string taskType, int attempt);

    [LoggerMessage(LogLevel.Error, "Job {JobId} ({TaskType}) failed for good after attempt {Attempt}: {Error}")]
    private static partial void LogFailed(ILogger logger, Guid jobId, string taskType, int attempt, string error);

    [LoggerMessage(LogLevel.Warning, "Job {JobId} ({TaskType}): the read ahead with its claim failed, so its handler reads for itself")]
    private static partial void LogReadAheadFailed(ILogger logger, Exception exception, Guid jobId, string? taskType);

    [LoggerMessage(LogLevel.Warning, "Job {JobId} ({TaskType}) was taken over by another executor after its lease ran out")]
    private static partial void LogLeaseLost(ILogger logger, Guid jobId, string taskType);
}
