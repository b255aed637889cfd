using LearnApp.Tasks;
using LearnApp.Tasks.Execution;
using LearnApp.Tasks.Handlers;
using LearnApp.Tasks.InProcess;
using LearnApp.Tasks.Queue;
using LearnApp.Tasks.Routing;
using LearnApp.Tasks.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

public enum TaskHostRole
{
    /// <summary>Creates jobs, runs in-process ones, sweeps stranded ones, purges old finished ones and watches the queue's health.</summary>
    Api,

    /// <summary>Consumes the queue and sends heartbeats.</summary>
    Worker,

    /// <summary>Creates the periodic jobs; runs them in-process when the queue is not usable.</summary>
    Scheduler,
}

public static class TasksServiceExtensions
{
    public const string RedisConnectionName = "cache";

    public static TBuilder AddLearnAppTasks<TBuilder>(this TBuilder builder, TaskHostRole role) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<TaskExecutorOptions>()
            .BindConfiguration(TaskExecutorOptions.SectionName, binder => binder.ErrorOnUnknownConfiguration = false)
            .Configure<IConfiguration>(ReadContractVariables)
            .Validate(o => o.ChannelCapacity > 0 && o.InProcessConsumers > 0 && o.WorkerConcurrency > 0,
                "Tasks:ChannelCapacity, Tasks:InProcessConsumers and Tasks:WorkerConcurrency must be positive.")
            .Validate(o => o.MaxAttempts > 0 && o.DeadLetterMaxLength > 0, "Tasks:MaxAttempts and Tasks:DeadLetterMaxLength must be positive.")
            .Validate(o => o.VisibilityTimeout > TimeSpan.Zero && o.HeartbeatInterval > TimeSpan.Zero && o.SweepInterval > TimeSpan.Zero,
                "Tasks timeouts and intervals must be positive.")
            .Validate(o => o.SucceededJobRetention > TimeSpan.Zero && o.FailedJobRetention > TimeSpan.Zero && o.PurgeInterval > TimeSpan.Zero,
                "Tasks:SucceededJobRetention, Tasks:FailedJobRetention and Tasks:PurgeInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TaskExecutorOptions>>(new RedisRequiredValidation(
            builder.Configuration.GetConnectionString(RedisConnectionName), role));

        builder.AddLearnAppRedis();
        builder.AddRedisHealthCheck(role);

        builder.Services.AddSingleton(services => new ExecutorIdentity(services.GetRequiredService<IOptions<TaskExecutorOptions>>(), role));
        builder.Services.AddSingleton<JobRunner>();
        builder.Services.AddSingleton<ITaskHandler, AwardXpHandler>();
        builder.Services.AddSingleton<ITaskHandler, CalculateAllRatingsHandler>();
        builder.Services.AddSingleton<ITaskHandler, SyncImpressionsHandler>();
        builder.Services.AddSingleton<ITaskHandler, ProcessSpeakAudioHandler>();

        if (role is TaskHostRole.Api or TaskHostRole.Scheduler)
        {
            builder.Services.AddSingleton<QueueAvailability>();
            builder.Services.AddSingleton<TaskRouter>();
            builder.Services.AddSingleton<InProcessJobChannel>();
            builder.Services.AddSingleton<TaskDispatcher>();
            builder.Services.AddHostedService<InProcessJobConsumer>();
            builder.Services.AddHostedService<QueueHealthMonitor>();
        }

        if (role is TaskHostRole.Api)
        {
            builder.Services.AddSingleton<JobSweeper>();
            builder.Services.AddHostedService(services => services.GetRequiredService<JobSweeper>());
            builder.Services.AddSingleton<JobPurger>();
            builder.Services.AddHostedService(services => services.GetRequiredService<JobPurger>());
        }

        // Without Redis the worker has nothing to consume: RedisRequiredValidation refuses the start with one line.
        if (role is TaskHostRole.Worker && !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(RedisConnectionName)))
        {
            builder.Services.AddSingleton<QueueConsumer>();
            builder.Services.AddHostedService(services => services.GetRequiredService<QueueConsumer>());
            builder.Services.AddHostedService<WorkerHeartbeat>();
        }

        return builder;
    }

    /// <summary>
    /// The scheduler mode: periodic <c>calculate_all_ratings</c> and <c>sync_impressions_from_redis</c>, created
    /// only by the replica that holds the Redis leader lease. Call after <see cref="AddLearnAppTasks"/>.
    /// </summary>
    public static TBuilder AddLearnAppScheduler<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<SchedulerOptions>()
            .BindConfiguration(SchedulerOptions.SectionName)
            .Validate(o => o.RatingsInterval > TimeSpan.Zero && o.ImpressionsInterval > TimeSpan.Zero && o.TickInterval > TimeSpan.Zero,
                "Scheduler intervals must be positive.")
            .Validate(o => o.LeaseDuration > 2 * o.TickInterval, "Scheduler:LeaseDuration must be more than twice Scheduler:TickInterval, or the leader loses its lease between renewals.")
            .Validate(_ => !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(RedisConnectionName)),
                $"The scheduler needs Redis for its leader lease: set ConnectionStrings__{RedisConnectionName}.")
            .ValidateOnStart();
        builder.Services.AddSingleton<LeaderLease>();
        builder.Services.AddSingleton<PeriodicTaskScheduler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PeriodicTaskScheduler>());
        return builder;
    }

    /// <summary>Registers the shared Redis connection when <c>ConnectionStrings:cache</c> is set.</summary>
    public static TBuilder AddLearnAppRedis<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetConnectionString(RedisConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString) || builder.Services.Any(s => s.ServiceType == typeof(IConnectionMultiplexer)))
        {
            return builder;
        }

        builder.Services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var configuration = ConfigurationOptions.Parse(connectionString);
            // Start even when Redis is down, and fail fast while it is, so hybrid routing can fall back at once.
            configuration.AbortOnConnectFail = false;
            configuration.BacklogPolicy = BacklogPolicy.FailFast;
            configuration.ConnectTimeout = 2000;
            configuration.AsyncTimeout = 2000;
            configuration.SyncTimeout = 2000;
            return ConnectionMultiplexer.Connect(configuration);
        });
        builder.Services.AddSingleton<RedisJobStreams>();
        return builder;
    }

    /// <summary>
    /// Adds Redis to <c>/health</c> when it is configured. The worker, the scheduler and a queue-mode Api cannot work
    /// without it, so for them an outage is Unhealthy; an Api that falls back to in-process tasks (hybrid,
    /// inprocess) keeps serving, so for it an outage is Degraded, which still answers 200 and keeps it in rotation.
    /// </summary>
    private static void AddRedisHealthCheck<TBuilder>(this TBuilder builder, TaskHostRole role) where TBuilder : IHostApplicationBuilder
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(RedisConnectionName)))
        {
            return;
        }

        var needsRedis = role is TaskHostRole.Worker or TaskHostRole.Scheduler
            || string.Equals(builder.Configuration[TaskExecutorOptions.ExecutorVariable], nameof(TaskExecutorMode.Queue), StringComparison.OrdinalIgnoreCase);
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(
            "redis", needsRedis ? HealthStatus.Unhealthy : HealthStatus.Degraded, tags: ["ready"], timeout: TimeSpan.FromSeconds(2));
    }

    private static void ReadContractVariables(TaskExecutorOptions options, IConfiguration configuration)
    {
        var executor = configuration[TaskExecutorOptions.ExecutorVariable];
        if (!string.IsNullOrWhiteSpace(executor))
        {
            options.Executor = Enum.TryParse<TaskExecutorMode>(executor, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
                ? mode
                : throw new OptionsValidationException(nameof(TaskExecutorOptions), typeof(TaskExecutorOptions),
                    [$"{TaskExecutorOptions.ExecutorVariable} must be inprocess, queue or hybrid, not '{executor}'."]);
        }

        var heavy = configuration[TaskExecutorOptions.HeavyTasksVariable];
        if (heavy is not null)
        {
            options.HeavyTasks = TaskExecutorOptions.Parse(heavy);
        }
    }

    private sealed class RedisRequiredValidation(string? redisConnectionString, TaskHostRole role) : IValidateOptions<TaskExecutorOptions>
    {
        public ValidateOptionsResult Validate(string? name, TaskExecutorOptions options)
        {
            var needsRedis = role is TaskHostRole.Worker || options.Executor is TaskExecutorMode.Queue;
            return needsRedis && string.IsNullOrWhiteSpace(redisConnectionString)
                ? ValidateOptionsResult.Fail($"{(role is TaskHostRole.Worker ? "The worker" : "TASK_EXECUTOR=queue")} needs Redis: set ConnectionStrings__{RedisConnectionName}.")
                : ValidateOptionsResult.Success;
        }
    }
}
