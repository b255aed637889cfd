using System.Diagnostics;
using System.Globalization;
using LearnApp.Testing;

// How much a test run pays for real servers: time from nothing to a ready throwaway PostgreSQL cluster and
// Redis server, time to create one test database, and time to stop. Prints the median and worst of N rounds.
var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var figures = new Dictionary<string, List<double>>();

for (var round = 0; round < rounds; round++)
{
    var postgres = new PostgresServerFixture();
    await Measure("postgres: initdb + start + ready", () => postgres.InitializeAsync().AsTask());
    await Measure("postgres: CREATE DATABASE", () => postgres.CreateDatabaseAsync());
    await Measure("postgres: stop", () => postgres.DisposeAsync().AsTask());

    var redis = new RedisServerFixture();
    await Measure("redis: start + ready", () => redis.InitializeAsync().AsTask());
    await Measure("redis: stop", () => redis.DisposeAsync().AsTask());
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"step",-36} {"median ms",10} {"max ms",10}   ({rounds} rounds)"));
foreach (var (step, samples) in figures)
{
    samples.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{step,-36} {samples[samples.Count / 2],10:F1} {samples[^1],10:F1}"));
}

async Task Measure(string step, Func<Task> action)
{
    var stopwatch = Stopwatch.StartNew();
    await action();
    (figures.TryGetValue(step, out var samples) ? samples : figures[step] = []).Add(stopwatch.Elapsed.TotalMilliseconds);
}
