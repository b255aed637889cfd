using System.Globalization;
using LearnApp.Testing;

// Starts the same PostgreSQL and Redis fixtures the suites use, prints their PIDs and waits to be killed.
// The fixture tests SIGKILL this process and check that both servers go with it.
await using var postgres = new PostgresServerFixture();
await using var redis = new RedisServerFixture();
await postgres.InitializeAsync();
await redis.InitializeAsync();

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"postgres {postgres.ProcessId}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"redis {redis.ProcessId}"));
Console.WriteLine("ready");

await Task.Delay(Timeout.Infinite);
