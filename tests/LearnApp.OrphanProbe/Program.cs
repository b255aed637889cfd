using System.Globalization;
using LearnApp.Hosting.Orchestration.Processes;
using LearnApp.Testing;

// Two jobs for the teardown tests, which SIGKILL this process and then check that its children went with it:
//   (no argument)    start the PostgreSQL and Redis fixtures the suites use, print their PIDs and wait to be killed;
//   spawn-and-die    start two sleepers (one plain, one under the process-group supervisor) and kill this process at
//                    once, while the children may still be on their way to their death-signal setup.
if (args is ["spawn-and-die"])
{
    var plain = await ProcessRunner.StartAsync(new ProcessSpec("sleep") { Arguments = ["600"] });
    var grouped = await ProcessRunner.StartAsync(new ProcessSpec("/bin/sh") { Arguments = ["-c", "exec sleep 600"], StopProcessGroup = true });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"plain {plain.Id}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"grouped {grouped.Id}"));
    System.Diagnostics.Process.GetCurrentProcess().Kill();
    return;
}

await using var postgres = new PostgresServerFixture();
await using var redis = new RedisServerFixture();
await postgres.InitializeAsync();
await redis.InitializeAsync();

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"postgres {postgres.ProcessId}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"redis {redis.ProcessId}"));
Console.WriteLine("ready");

await Task.Delay(Timeout.Infinite);
