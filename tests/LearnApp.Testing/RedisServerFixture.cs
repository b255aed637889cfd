using System.Security.Cryptography;
using LearnApp.Hosting.Orchestration.Native;
using LearnApp.Hosting.Orchestration.Network;
using LearnApp.Hosting.Orchestration.Processes;
using StackExchange.Redis;
using Xunit;

namespace LearnApp.Testing;

/// <summary>
/// A real, throwaway <c>redis-server</c> on a free loopback port with a password and no persistence, started once
/// for the test assembly and stopped afterwards. The server dies with the test process, also when that is killed.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private readonly ServerLog _log = new();
    private readonly string _password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private string? _workDirectory;
    private RunningProcess? _server;
    private ConnectionMultiplexer? _connection;

    public int Port { get; private set; }

    public int ProcessId => _server?.Id ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>A StackExchange.Redis configuration string, in the form Aspire puts in <c>ConnectionStrings__cache</c>.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},password={_password}";

    /// <summary>A connection shared by the tests; create your own for tests that break connections.</summary>
    public IConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("The server has not started.");

    public async ValueTask InitializeAsync()
    {
        var installation = RedisInstallation.FindOrThrow();
        _workDirectory = TestWorkDirectory.Create("redis");
        Port = FreePort.Pick();
        _server = await ProcessRunner.StartAsync(installation.CreateServerSpec(Port, _workDirectory, persistent: false, _password) with
        {
            OnOutputLine = _log.Add,
            OnErrorLine = _log.Add,
        });

        await Readiness.WaitAsync("Redis", _server, async () =>
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",abortConnect=true,connectTimeout=1000");
            await connection.GetDatabase().PingAsync();
            _connection = connection;
        }, _log.ToString, TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
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
