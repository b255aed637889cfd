using System.Globalization;
using System.Net.Sockets;
using LearnApp.Hosting.Orchestration.Processes;
using LearnApp.Testing;
using Npgsql;
using StackExchange.Redis;

namespace LearnApp.Hosting.Tests.Orchestration;

public sealed class NativeServerFixtureTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task PostgresFixtureRunsARealPostgreSqlServerProcess()
    {
        await using var connection = new NpgsqlConnection(postgres.AdminConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SHOW server_version", connection);
        var version = (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);

        Assert.Matches(@"^\d+\.\d+", version);
        Assert.Equal("postgres", ReadCommandName(postgres.ProcessId));
    }

    [Fact]
    public async Task EachCreatedDatabaseIsEmptyAndSeparate()
    {
        var first = await postgres.CreateDatabaseAsync();
        var second = await postgres.CreateDatabaseAsync();

        await ExecuteAsync(first, "CREATE TABLE decks (id int primary key); INSERT INTO decks VALUES (1);");

        Assert.Equal(1L, await ExecuteAsync(first, "SELECT count(*) FROM decks"));
        Assert.Equal(0L, await ExecuteAsync(second, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'decks'"));
    }

    [Fact]
    public async Task RedisFixtureRunsARealRedisServerThatRequiresItsPassword()
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        var info = (string?)await admin.GetDatabase().ExecuteAsync("INFO", "server");
        Assert.Contains("redis_version:", info, StringComparison.Ordinal);
        Assert.Equal("redis-server", ReadCommandName(redis.ProcessId));

        var key = $"test:{Guid.NewGuid():N}";
        await redis.Connection.GetDatabase().StringSetAsync(key, "42");
        Assert.Equal("42", (string?)await redis.Connection.GetDatabase().StringGetAsync(key));

        // Speak RESP directly: a client library would retry and blur the server's own answer.
        using var anonymous = new TcpClient();
        await anonymous.ConnectAsync("127.0.0.1", redis.Port, TestContext.Current.CancellationToken);
        await using var stream = anonymous.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream);
        var reply = await reader.ReadLineAsync(TestContext.Current.CancellationToken);
        Assert.StartsWith("-NOAUTH", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposingAFixtureStopsItsServerAndClosesItsPort()
    {
        var fixture = new PostgresServerFixture();
        await fixture.InitializeAsync();
        var pid = fixture.ProcessId;
        var port = fixture.Port;

        await fixture.DisposeAsync();

        Assert.False(ProcessTable.IsRunning(pid));
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken).AsTask());
    }

    [Fact]
    public async Task ServersDieWithTheProcessThatStartedThemEvenWhenItIsKilled()
    {
        var pids = new Dictionary<string, int>();
        var ready = new TaskCompletionSource();
        var log = new List<string>();
        var probePath = Path.Combine(AppContext.BaseDirectory, "LearnApp.OrphanProbe.dll");

        await using var probe = await ProcessRunner.StartAsync(new ProcessSpec("dotnet")
        {
            Arguments = [probePath],
            OnOutputLine = line =>
            {
                lock (log) { log.Add(line); }
                var parts = line.Split(' ');
                if (parts is [var name, var pid])
                {
                    lock (pids) { pids[name] = int.Parse(pid, CultureInfo.InvariantCulture); }
                }
                else if (line == "ready")
                {
                    ready.TrySetResult();
                }
            },
            OnErrorLine = line => { lock (log) { log.Add(line); } },
        }, TestContext.Current.CancellationToken);

        var finished = await Task.WhenAny(ready.Task, probe.Exited).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(finished == ready.Task, $"the probe did not get ready:\n{string.Join('\n', log)}");
        Assert.True(ProcessTable.IsRunning(pids["postgres"]));
        Assert.True(ProcessTable.IsRunning(pids["redis"]));

        probe.Signal(UnixSignal.Kill);

        Assert.True(await ProcessTable.WaitUntilGoneAsync(pids["postgres"], TimeSpan.FromSeconds(10)), "postgres outlived its killed parent");
        Assert.True(await ProcessTable.WaitUntilGoneAsync(pids["redis"], TimeSpan.FromSeconds(10)), "redis-server outlived its killed parent");
    }

    private static string ReadCommandName(int pid) =>
        File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm").Trim();

    private static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
