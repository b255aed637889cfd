using System.Globalization;
using LearnApp.Data;
using LearnApp.Data.CompiledModels.Postgres;
using LearnApp.Data.CompiledModels.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

public static class LearnAppDataExtensions
{
    /// <summary>The Aspire connection-string names of the contract.</summary>
    public const string PostgresConnectionName = "db";
    public const string SqliteConnectionName = "sqlite";

    /// <summary>
    /// The key of the <see cref="LearnAppDbContext"/> for background work: running jobs, the sweeper, the scheduler.
    /// On PostgreSQL the default context multiplexes (<see cref="WithLearnAppSettings"/>), and a multiplexed
    /// connection runs its commands one after another, so a command that waits for a lock holds up the other
    /// requests' commands queued behind it. Background statements are the ones that may wait (a job's XP update
    /// behind a lock on the user's row), so they get connections of their own and the request path never queues
    /// behind them.
    /// </summary>
    public const string BackgroundContextKey = "background";

    /// <summary>The context for background work, from a scope (see <see cref="BackgroundContextKey"/>).</summary>
    public static LearnAppDbContext GetBackgroundDbContext(this IServiceProvider services) =>
        services.GetRequiredKeyedService<LearnAppDbContext>(BackgroundContextKey);

    /// <summary>
    /// Registers <see cref="LearnAppDbContext"/> on PostgreSQL when <c>ConnectionStrings:db</c> is set, otherwise on
    /// SQLite (<c>ConnectionStrings:sqlite</c>, default <c>learnapp.db</c> in the content root: the single topology).
    /// </summary>
    /// <param name="builder">The host.</param>
    /// <param name="multiplexRequests">
    /// Whether the default context multiplexes on PostgreSQL (<see cref="BackgroundContextKey"/>). For a process that
    /// serves requests; one that only does background work (a worker, the scheduler, the migrator) has no requests to
    /// batch and gets one plain pool for both keys.
    /// </param>
    /// <param name="concurrentJobs">
    /// How many jobs the process runs at once (Tasks:WorkerConcurrency for a worker, Tasks:InProcessConsumers
    /// otherwise): the background pool holds at least that many connections and two more (the sweeper, a fallback's
    /// update), and <see cref="BackgroundPoolSize"/> when that is larger.
    /// </param>
    /// <param name="asynchronousBackgroundCommits">
    /// Whether background work commits without waiting for its WAL flush (PostgreSQL's <c>synchronous_commit=off</c>
    /// on the background pool, SQLite's <c>synchronous=NORMAL</c> on a pool of its own: <see cref="SqliteCommitMode"/>;
    /// the request pool always waits). For a process whose background writes can be redone:
    /// a job's effect and completion commit together, and a job row is durable before any of it runs (the request
    /// that made it waited), so a crash of PostgreSQL that loses the last few asynchronous commits leaves such a job
    /// running with a lease that runs out, and the sweeper runs it again; a lost sweep, purge or periodic enqueue
    /// happens again at its next tick. PostgreSQL never applies such a commit in part. Not for the migrator.
    /// </param>
    public static TBuilder AddLearnAppData<TBuilder>(this TBuilder builder, bool multiplexRequests = true, int concurrentJobs = 0,
        bool asynchronousBackgroundCommits = false)
        where TBuilder : IHostApplicationBuilder
    {
        var backgroundPoolSize = Math.Max(BackgroundPoolSize, concurrentJobs + 2);
        var threadSafetyChecks = builder.Environment.IsDevelopment();
        // The compiled models (Data/CompiledModels, regenerated with `dotnet ef dbcontext optimize`, drift-tested)
        // spare every process building the model on its first DbContext: about a third of the Api's start-up CPU.
        // Migrate() is unaffected: its pending-model-changes check always builds the design-time model.
        var postgres = builder.Configuration.GetConnectionString(PostgresConnectionName);
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            builder.Services.AddDbContextPool<PostgresLearnAppDbContext>(options => UsePostgres(options,
                WithLearnAppSettings(postgres, multiplexRequests, multiplexRequests ? null : backgroundPoolSize,
                    asynchronousCommit: !multiplexRequests && asynchronousBackgroundCommits), threadSafetyChecks));
            builder.Services.AddScoped<LearnAppDbContext>(services => services.GetRequiredService<PostgresLearnAppDbContext>());
            if (multiplexRequests)
            {
                // A pool of its own for background work, on connections that are not multiplexed (see BackgroundContextKey).
                builder.Services.AddSingleton(services => new BackgroundContextPool<PostgresLearnAppDbContext>(new PooledDbContextFactory<PostgresLearnAppDbContext>(
                    UsePostgres(
                        // As AddDbContextPool does: EF then takes the app's logging from it and can share its internal services.
                        new DbContextOptionsBuilder<PostgresLearnAppDbContext>().UseApplicationServiceProvider(services),
                        WithLearnAppSettings(postgres, requestPath: false, backgroundPoolSize, asynchronousBackgroundCommits), threadSafetyChecks).Options)));
                builder.Services.AddKeyedScoped<LearnAppDbContext>(BackgroundContextKey,
                    (services, _) => services.GetRequiredService<BackgroundContextPool<PostgresLearnAppDbContext>>().Factory.CreateDbContext());
            }
            else
            {
                builder.Services.AddKeyedScoped<LearnAppDbContext>(BackgroundContextKey,
                    (services, _) => services.GetRequiredService<PostgresLearnAppDbContext>());
            }
        }
        else
        {
            var sqlite = builder.Configuration.GetConnectionString(SqliteConnectionName)
                ?? $"Data Source={Path.Combine(builder.Environment.ContentRootPath, "learnapp.db")}";
            builder.Services.AddDbContextPool<SqliteLearnAppDbContext>(options =>
                UseSqlite(options, sqlite, SqliteCommitMode.Waiting, threadSafetyChecks));
            builder.Services.AddScoped<LearnAppDbContext>(services => services.GetRequiredService<SqliteLearnAppDbContext>());
            if (asynchronousBackgroundCommits)
            {
                // SQLite has no connections to multiplex; background work gets a pool of its own for its commit mode.
                builder.Services.AddSingleton(services => new BackgroundContextPool<SqliteLearnAppDbContext>(new PooledDbContextFactory<SqliteLearnAppDbContext>(
                    UseSqlite(new DbContextOptionsBuilder<SqliteLearnAppDbContext>().UseApplicationServiceProvider(services),
                        sqlite, SqliteCommitMode.NotWaiting, threadSafetyChecks).Options)));
                builder.Services.AddKeyedScoped<LearnAppDbContext>(BackgroundContextKey,
                    (services, _) => services.GetRequiredService<BackgroundContextPool<SqliteLearnAppDbContext>>().Factory.CreateDbContext());
            }
            else
            {
                builder.Services.AddKeyedScoped<LearnAppDbContext>(BackgroundContextKey,
                    (services, _) => services.GetRequiredService<SqliteLearnAppDbContext>());
            }
        }

        builder.Services.AddHealthChecks().AddDbContextCheck<LearnAppDbContext>("database");
        return builder;
    }

    /// <summary>The PostgreSQL context's options, the same for both of its pools but for the connection string.</summary>
    /// <param name="options">The builder.</param>
    /// <param name="connectionString">The pool's connection string.</param>
    /// <param name="threadSafetyChecks">
    /// EF's check that a context is not used by two operations at once: a development aid, on in Development (and so
    /// in the tests). Outside it, it cost GET due 15 % of its allocations: each row an async query reads enters and
    /// leaves the check, and each time sets an AsyncLocal (a new ExecutionContext and value map; dotnet-trace
    /// gc-verbose under the bench's GET load).
    /// </param>
    private static TOptions UsePostgres<TOptions>(TOptions options, string connectionString, bool threadSafetyChecks) where TOptions : DbContextOptionsBuilder
    {
        options.UseNpgsql(connectionString, npgsql => npgsql.ConfigureDataSource(ConfigureDataSource))
            .UseModel(PostgresLearnAppDbContextModel.Instance)
            .EnableThreadSafetyChecks(threadSafetyChecks)
            .ConfigureWarnings(DemoteDatabaseFailures);
        return options;
    }

    /// <summary>The SQLite context's options, the same for both of its pools but for the commit mode.</summary>
    private static TOptions UseSqlite<TOptions>(TOptions options, string connectionString, SqliteCommitMode commitMode, bool threadSafetyChecks)
        where TOptions : DbContextOptionsBuilder
    {
        options.UseSqlite(connectionString)
            .UseModel(SqliteLearnAppDbContextModel.Instance)
            .AddInterceptors(SqliteBusyTimeout.Instance, commitMode)
            .EnableThreadSafetyChecks(threadSafetyChecks)
            .ConfigureWarnings(DemoteDatabaseFailures);
        return options;
    }

    /// <summary>
    /// No type loading: LearnApp's schema has only PostgreSQL's built-in types, which Npgsql knows without reading
    /// the catalog, so a pool's first connection does not query pg_type and its kin. That is a round trip saved, and
    /// a catalog cache (~0.7 MB) that backend would hold for as long as it lives: PostgreSQL's idle PSS in the scaled
    /// bench went 52 -> 45 MB. An extension's type or an enum in the schema would need the catalog read again.
    /// </summary>
    private static void ConfigureDataSource(NpgsqlDataSourceBuilder dataSource) =>
        dataSource.ConfigureTypeLoading(typeLoading => typeLoading.EnableTypeLoading(false));

    /// <summary>
    /// A failed command or SaveChanges is logged at Information, not Error. Some failures are answers the app expects
    /// and handles (a unique violation when two first reviews of a card or two registrations race: a 409), and an
    /// Error for each would page an operator for nothing. A failure nobody handles still reaches the log with the
    /// provider's message from whoever catches it: the exception handler (a 500, at Error), the job runner, the
    /// sweeper, the scheduler.
    /// </summary>
    private static void DemoteDatabaseFailures(WarningsConfigurationBuilder warnings) => warnings.Log(
        (RelationalEventId.CommandError, LogLevel.Information),
        (CoreEventId.SaveChangesFailed, LogLevel.Information));

    /// <summary>
    /// The pools' default upper bounds on connections, unless the connection string sets one (Npgsql's own is 100).
    /// PostgreSQL allows 100 connections by default, and the scaled stack has six pools (a request and a background
    /// pool per Api, one pool each for the worker and the scheduler): with Npgsql's default they could ask for 600, and
    /// under load PostgreSQL would refuse some ("too many clients"), each a failed request. 2 × (20 + 10) + 10 + 10 = 80
    /// leaves room for the migrator and an operator's psql; a third Api replica needs a higher limit or smaller pools.
    /// A plain pool serves a bounded number of consumers (Tasks:InProcessConsumers or Tasks:WorkerConcurrency, and the
    /// sweeper), and grows with them (AddLearnAppData's concurrentJobs). A multiplexed one needs more than that: bounded at 10, the scaled bench's GET due tail grew from
    /// p99 32–58 ms to 321–403 ms (two interleaved pairs against 20).
    /// </summary>
    public const int RequestPoolSize = 20;

    /// <inheritdoc cref="RequestPoolSize"/>
    public const int BackgroundPoolSize = 10;

    /// <summary>
    /// How long a request's statement waits for a row or table lock before it fails (PostgreSQL's lock_timeout; the
    /// Api answers 503 with Retry-After, and nothing of the statement is written). The app's own waits last as long as
    /// another statement (two first reviews of a card racing, a review's streak behind an award_xp): milliseconds.
    /// A longer one comes from outside (an operator's transaction, a migration's table lock), and on a multiplexed
    /// connection it would also hold up every command queued behind it until the 30 s command timeout broke the
    /// connection and failed them all.
    /// </summary>
    public static readonly TimeSpan RequestLockTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Npgsql settings, each unless the connection string chooses. Automatic preparation: the hot queries (due
    /// cards, review, job claim) skip PostgreSQL's parse and plan on every call. No reset on close: otherwise every
    /// connection handed back to the pool makes the next command carry a reset (RESET ALL, CLOSE ALL, UNLISTEN,
    /// advisory unlock, DISCARD SEQUENCES/TEMP), run by the server on every request; LearnApp never changes session
    /// state (no SET, LISTEN, temp tables or advisory locks), so there is nothing to reset. A client connection check
    /// every second (PostgreSQL 14+): PostgreSQL otherwise notices a dead client only when it next writes to it, so
    /// a worker killed while its job's one-statement completion waits for a lock would still get that statement
    /// committed once the lock goes, and its job would end as the dead worker's, never redelivered. A bounded pool
    /// (<see cref="RequestPoolSize"/>, or <paramref name="poolSize"/>), so that the whole stack fits in PostgreSQL's default connection limit.
    /// <para>
    /// The request path's pool (<paramref name="requestPath"/>) multiplexes: commands outside a transaction from all
    /// of a process's requests share a few physical connections, written and read in batches, so PostgreSQL wakes once
    /// for many queries instead of once per query (an interleaved A/B on the scaled bench: the stack's CPU per GET due
    /// 463–515 -> 353–369 µs, PostgreSQL's part 199–212 -> 127–135). A transaction still gets a connection of its own;
    /// what multiplexing gives up is session state between commands, which LearnApp has none of (see above),
    /// synchronous commands, which LearnApp does not run, and independence: a command that waits for a lock holds up
    /// the commands queued behind it on its connection. So background work does not multiplex
    /// (<see cref="BackgroundContextKey"/>: there multiplexing is off whatever the connection string says), and a
    /// request's statement waits for a lock for at most <see cref="RequestLockTimeout"/>.
    /// </para>
    /// <para>
    /// With <paramref name="asynchronousCommit"/>, commits do not wait for their WAL flush (for background work that
    /// can be redone: see AddLearnAppData).
    /// </para>
    /// </summary>
    public static string WithLearnAppSettings(string connectionString, bool requestPath = true, int? poolSize = null, bool asynchronousCommit = false)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = 64;
            settings.AutoPrepareMinUsages = 2;
        }
        var given = GivenKeywords(connectionString);
        if (!given.Contains("noresetonclose"))
        {
            settings.NoResetOnClose = true;
        }
        if (!requestPath)
        {
            settings.Multiplexing = false;
        }
        else if (!given.Contains("multiplexing"))
        {
            settings.Multiplexing = true;
        }
        if (!given.Contains("maxpoolsize") && !given.Contains("maximumpoolsize"))
        {
            settings.MaxPoolSize = poolSize ?? (requestPath ? RequestPoolSize : BackgroundPoolSize);
        }
        AddServerSetting(settings, ClientConnectionCheck, "1000");
        if (requestPath)
        {
            AddServerSetting(settings, "lock_timeout", ((int)RequestLockTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }
        if (asynchronousCommit)
        {
            AddServerSetting(settings, "synchronous_commit", "off");
        }
        return settings.ConnectionString;
    }

    /// <summary>A <c>-c name=value</c> server setting in Options, unless the connection string sets that one itself.</summary>
    private static void AddServerSetting(NpgsqlConnectionStringBuilder settings, string name, string value)
    {
        if (settings.Options?.Contains(name, StringComparison.Ordinal) == true)
        {
            return;
        }
        settings.Options = string.IsNullOrWhiteSpace(settings.Options) ? $"-c {name}={value}" : $"{settings.Options} -c {name}={value}";
    }

    private const string ClientConnectionCheck = "client_connection_check_interval";

    /// <summary>The keywords a connection string sets, lower case and without spaces ("Maximum Pool Size" is "maximumpoolsize").</summary>
    private static HashSet<string> GivenKeywords(string connectionString)
    {
        // The plain builder only knows the keys that were written (Npgsql's answers for every keyword it knows).
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.Keys.Cast<string>().Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
    }

    /// <summary>The background contexts' pool (a type of its own, so DI can tell it from the request path's pool).</summary>
    private sealed record BackgroundContextPool<TContext>(PooledDbContextFactory<TContext> Factory) where TContext : DbContext;
}
