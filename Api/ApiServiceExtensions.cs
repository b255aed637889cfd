using LearnApp.Api.Auth;
using LearnApp.Api.Decks;
using LearnApp.Api.Infrastructure;
using LearnApp.Api.Modes;
using LearnApp.Api.Study;
using LearnApp.Tasks;
using Microsoft.AspNetCore.Http.Json;

namespace LearnApp.Api;

internal static class ApiServiceExtensions
{
    public static WebApplicationBuilder AddLearnAppApi(this WebApplicationBuilder builder, ApiMode mode)
    {
        if (mode is ApiMode.Api)
        {
            builder.AddServiceDefaults();
        }
        else
        {
            // The other modes make no HTTP calls: no service discovery or resilience pipeline to register (eShop's
            // AddBasicServiceDefaults for workers).
            builder.AddBasicServiceDefaults();
        }
        // Only the Api serves requests, whose commands are worth multiplexing; the other modes do background work.
        // Background work commits without waiting for the WAL flush: a lost job commit is run again by the sweeper
        // (see AddLearnAppData). The migrator waits: what it writes is not redone.
        builder.AddLearnAppData(multiplexRequests: mode is ApiMode.Api, concurrentJobs: ConcurrentJobs(builder.Configuration, mode),
            asynchronousBackgroundCommits: mode is not ApiMode.Migrate);
        if (mode is ApiMode.Migrate)
        {
            // A failed migration is reported as one line by the mode itself, not as EF's multi-line log entries.
            builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database", LogLevel.None);
            builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Migrations", LogLevel.Warning);
            return builder;
        }

        switch (mode)
        {
            case ApiMode.Worker:
                // The queue worker: consumes the Redis job stream and serves only /health and /alive.
                builder.AddLearnAppTasks(TaskHostRole.Worker);
                return builder;
            case ApiMode.Scheduler:
                builder.AddLearnAppTasks(TaskHostRole.Scheduler);
                builder.AddLearnAppScheduler();
                return builder;
        }

        builder.AddLearnAppTasks(TaskHostRole.Api);

        builder.AddLearnAppAuth();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DatabaseBusyExceptionHandler>();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Binding failures throw, so the handler above answers them with a problem that says what was wrong.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(options => options.SerializerOptions.AllowTrailingCommas = false);
        builder.Services.AddOptions<RequestLimitsOptions>().BindConfiguration(RequestLimitsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DeckImpressionCounter>();
        // SQLite's due query, prepared once per connection it keeps open; unused on PostgreSQL.
        builder.Services.AddSingleton<SqliteDueCards>();
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>How many jobs a mode runs at once: its background connections follow (see AddLearnAppData).</summary>
    private static int ConcurrentJobs(ConfigurationManager configuration, ApiMode mode)
    {
        var tasks = configuration.GetSection(TaskExecutorOptions.SectionName);
        var defaults = new TaskExecutorOptions();
        return mode is ApiMode.Worker
            ? tasks.GetValue(nameof(TaskExecutorOptions.WorkerConcurrency), defaults.WorkerConcurrency)
            : tasks.GetValue(nameof(TaskExecutorOptions.InProcessConsumers), defaults.InProcessConsumers);
    }
}
