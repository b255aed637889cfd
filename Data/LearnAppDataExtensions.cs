using LearnApp.Data;
using LearnApp.Data.CompiledModels.Postgres;
using LearnApp.Data.CompiledModels.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
    /// Registers <see cref="LearnAppDbContext"/> on PostgreSQL when <c>ConnectionStrings:db</c> is set, otherwise on
    /// SQLite (<c>ConnectionStrings:sqlite</c>, default <c>learnapp.db</c> in the content root: the single topology).
    /// </summary>
    public static TBuilder AddLearnAppData<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // The compiled models (Data/CompiledModels, regenerated with `dotnet ef dbcontext optimize`, drift-tested)
        // spare every process building the model on its first DbContext: about a third of the Api's start-up CPU.
        // Migrate() is unaffected: its pending-model-changes check always builds the design-time model.
        var postgres = builder.Configuration.GetConnectionString(PostgresConnectionName);
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            builder.Services.AddDbContextPool<PostgresLearnAppDbContext>(options => options
                .UseNpgsql(WithLearnAppSettings(postgres))
                .UseModel(PostgresLearnAppDbContextModel.Instance)
                .ConfigureWarnings(DemoteDatabaseFailures));
            builder.Services.AddScoped<LearnAppDbContext>(services => services.GetRequiredService<PostgresLearnAppDbContext>());
        }
        else
        {
            var sqlite = builder.Configuration.GetConnectionString(SqliteConnectionName)
                ?? $"Data Source={Path.Combine(builder.Environment.ContentRootPath, "learnapp.db")}";
            builder.Services.AddDbContextPool<SqliteLearnAppDbContext>(options => options
                .UseSqlite(sqlite)
                .UseModel(SqliteLearnAppDbContextModel.Instance)
                .AddInterceptors(SqliteBusyTimeout.Instance)
                .ConfigureWarnings(DemoteDatabaseFailures));
            builder.Services.AddScoped<LearnAppDbContext>(services => services.GetRequiredService<SqliteLearnAppDbContext>());
        }

        builder.Services.AddHealthChecks().AddDbContextCheck<LearnAppDbContext>("database");
        return builder;
    }

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
    /// Npgsql settings, each unless the connection string chooses. Automatic preparation: the hot queries (due
    /// cards, review, job claim) skip PostgreSQL's parse and plan on every call. No reset on close: otherwise every
    /// connection handed back to the pool makes the next command carry a reset (RESET ALL, CLOSE ALL, UNLISTEN,
    /// advisory unlock, DISCARD SEQUENCES/TEMP), run by the server on every request; LearnApp never changes session
    /// state (no SET, LISTEN, temp tables or advisory locks), so there is nothing to reset. A client connection check
    /// every second (PostgreSQL 14+): PostgreSQL otherwise notices a dead client only when it next writes to it, so
    /// a worker killed while its job's one-statement completion waits for a lock would still get that statement
    /// committed once the lock goes, and its job would end as the dead worker's, never redelivered.
    /// </summary>
    public static string WithLearnAppSettings(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = 64;
            settings.AutoPrepareMinUsages = 2;
        }
        // The plain builder only knows the keys that were written (Npgsql's answers for every keyword it knows).
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            settings.NoResetOnClose = true;
        }
        if (settings.Options?.Contains(ClientConnectionCheck, StringComparison.Ordinal) != true)
        {
            settings.Options = string.IsNullOrWhiteSpace(settings.Options)
                ? $"-c {ClientConnectionCheck}=1000"
                : $"{settings.Options} -c {ClientConnectionCheck}=1000";
        }
        return settings.ConnectionString;
    }

    private const string ClientConnectionCheck = "client_connection_check_interval";
}
