using System.Security.Cryptography;
using LearnApp.Hosting.Orchestration.Native;
using LearnApp.Hosting.Orchestration.Network;
using LearnApp.Hosting.Orchestration.Processes;
using Npgsql;
using Xunit;

namespace LearnApp.Testing;

/// <summary>
/// A real, throwaway PostgreSQL server: a fresh cluster in a temp folder on a free loopback port, started once for
/// the test assembly (<c>[assembly: AssemblyFixture(typeof(PostgresServerFixture))]</c>) and removed afterwards.
/// The server dies with the test process, also when that is killed.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    public const string Superuser = "postgres";

    // Durability is worth nothing in a throwaway cluster; these make DDL-heavy tests several times faster.
    private static readonly Dictionary<string, string> s_throwawaySettings = new()
    {
        ["fsync"] = "off",
        ["synchronous_commit"] = "off",
        ["full_page_writes"] = "off",
    };

    private readonly ServerLog _log = new();
    private readonly string _password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private string? _workDirectory;
    private RunningProcess? _server;

    /// <summary>
    /// The server's connection limit. The suite's default is high: many test hosts at once, each with a request pool
    /// and a background pool per database, kept open after the test. A benchmark sets PostgreSQL's own 100, which the
    /// deployments keep: each allowed connection costs shared memory (9 MB more for 400 than for 100).
    /// </summary>
    public int MaxConnections { get; init; } = 400;

    /// <summary>
    /// Keeps PostgreSQL's own durability settings (fsync, synchronous commit, full-page writes) instead of turning them
    /// off: a benchmark measures the stack as deployed, where every commit waits for its WAL flush.
    /// </summary>
    public bool Durable { get; init; }

    public int Port { get; private set; }

    public int ProcessId => _server?.Id ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Superuser connection to the <c>postgres</c> maintenance database.</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    public async ValueTask InitializeAsync()
    {
        var installation = PostgresInstallation.FindOrThrow();
        _workDirectory = TestWorkDirectory.Create("postgres");
        var dataDirectory = Path.Combine(_workDirectory, "data");
        await installation.InitializeAsync(dataDirectory, Superuser, _password);

        Port = FreePort.Pick();
        _server = await ProcessRunner.StartAsync(installation.CreateServerSpec(dataDirectory, Port,
            new Dictionary<string, string>(Durable ? [] : s_throwawaySettings) { ["max_connections"] = MaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture) }) with
        {
            OnOutputLine = _log.Add,
            OnErrorLine = _log.Add,
        });

        await Readiness.WaitAsync("PostgreSQL", _server, async () =>
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync();
        }, _log.ToString, TimeSpan.FromSeconds(30));
    }

    /// <summary>Creates an empty database of its own for one test class and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Password = _password,
        Database = database,
        // Pooled connections to a dropped database must not leak between tests.
        MaxPoolSize = 20,
    }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        if (_workDirectory is not null)
        {
            TestWorkDirectory.Delete(_workDirectory);
        }
    }
}
