using System.Globalization;
using System.Net.Http.Json;
using LearnApp.Bench.Api;
using LearnApp.Hosting.Orchestration.Network;
using LearnApp.Hosting.Orchestration.Processes;
using LearnApp.Testing;

// LearnApp Api throughput and task latency on loopback, against the real executables of this build.
//   dotnet run -c Release --project bench/LearnApp.Bench.Api -- [single|scaled] [seconds=20] [warmup=30] [concurrency=32] [jobs=1000] [apiReplicas=2] [wrkThreads=1]
// single: one Api on SQLite, tasks in-process.
// scaled: Api ×apiReplicas (hybrid) behind an nginx round-robin proxy (none for one replica), a worker and the
// scheduler, on PostgreSQL and Redis: the scaled topology as compose deploys it.
// Throughput load comes from wrk, the task latencies from HttpClient calls in this process; it needs wrk and nginx
// (apt-get install -y --no-install-recommends wrk nginx-light).
var topology = args.Length > 0 ? args[0] : "scaled";
var seconds = Arg(1, 20);
// 30 s: a phase reaches its steady state only then. Under review load an Api JIT-compiled ~8,300 methods in the first
// 30 s (tier-1 promotions, up to 0.46 s of JIT per second) and 24 in the next 20, and a fresh user's first reviews
// are inserts that grow the state table. Measured after a 5 s warm-up, review throughput was a third lower.
var warmup = Arg(2, 30);
var concurrency = Arg(3, 32);
var jobCount = Arg(4, 1000);
var apiReplicas = topology == "scaled" ? Arg(5, 2) : 1;
// wrk's threads: one, an event loop for all 32 connections. A thread per connection (32 on 2 cores) cost the shared
// cores 10–18 µs more per GET and lengthened the GET p99 it measured (41–42 against 27–30 ms with two, two interleaved
// pairs); a thread per core against one, four interleaved pairs in `scaled`: GET 7,685–8,428 against 8,386–10,463
// req/s, p99 22–133 against 13–20 ms (at nginx 12–17 against 7–10), wrk 18–20 against 13–17 µs per GET.
var wrkThreads = Math.Clamp(Arg(6, 1), 1, concurrency);
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
try
{
    Wrk.Find("wrk", "/usr/bin/wrk");
    Wrk.Find("nginx", "/usr/sbin/nginx");
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

var processes = new List<RunningProcess>();
var logs = new Dictionary<string, ServiceLog>();
var memoryRoots = new Dictionary<string, int>();
PostgresServerFixture? postgres = null;
RedisServerFixture? redis = null;
NginxBalancer? balancer = null;
var workDirectory = TestWorkDirectory.Create("bench");
try
{
    var environment = new Dictionary<string, string?>
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Jwt__SigningKey"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Auth__LoginAttemptsPerMinute"] = "10000",
        ["Logging__LogLevel__Default"] = "Warning",
    };
    var imageEnvironment = Services.ImageRuntimeEnvironment();
    foreach (var (name, value) in imageEnvironment)
    {
        environment[name] = value;
    }
    if (topology == "scaled")
    {
        // PostgreSQL's own connection limit and durability, which the deployments keep (the suite's fixture allows
        // more connections and turns fsync and synchronous commit off).
        postgres = new PostgresServerFixture { MaxConnections = 100, Durable = true };
        await postgres.InitializeAsync();
        redis = new RedisServerFixture();
        await redis.InitializeAsync();
        // The app's own pool bounds, as deployed (the fixture's connection strings choose one for the suite).
        var database = new Npgsql.NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync("bench"));
        database.Remove("Maximum Pool Size");
        // The admin connection that created the database would otherwise stay pooled here for 5 minutes, and its
        // backend (~14 MB) is the bench's, not the stack's: it was counted in every PostgreSQL PSS figure.
        Npgsql.NpgsqlConnection.ClearAllPools();
        environment["ConnectionStrings__db"] = database.ConnectionString;
        environment["ConnectionStrings__cache"] = redis.ConnectionString;
        environment["TASK_EXECUTOR"] = "hybrid";
        memoryRoots["postgres"] = postgres.ProcessId;
        memoryRoots["redis"] = redis.ProcessId;
    }
    else
    {
        environment["ConnectionStrings__sqlite"] = $"Data Source={Path.Combine(workDirectory, "learnapp.db")}";
        environment["TASK_EXECUTOR"] = "inprocess";
    }

    var migrate = await ProcessRunner.RunToCompletionAsync(new ProcessSpec("dotnet")
    {
        Arguments = [Services.AssemblyPath("Api", "LearnApp.Api.dll"), "migrate"],
        Environment = environment,
    });
    if (migrate.ExitCode != 0)
    {
        throw new InvalidOperationException($"migrate failed: {migrate.Output}");
    }

    using var probe = new HttpClient();
    var replicas = new List<Uri>();
    for (var i = 0; i < apiReplicas; i++)
    {
        var replica = new Uri($"http://127.0.0.1:{FreePort.Pick()}");
        var (api, apiLog) = await Services.StartAsync("Api", "LearnApp.Api.dll", ["api"],
            new Dictionary<string, string?>(environment) { ["ASPNETCORE_URLS"] = replica.ToString(), ["Tasks__ExecutorName"] = $"api-{i}" });
        processes.Add(api);
        memoryRoots[apiReplicas == 1 ? "api" : $"api{i}"] = api.Id;
        logs[apiReplicas == 1 ? "api" : $"api{i}"] = apiLog;
        await Services.WaitHealthyAsync(probe, replica, api, apiLog);
        replicas.Add(replica);
    }

    var baseAddress = replicas[0];
    if (apiReplicas > 1)
    {
        balancer = await NginxBalancer.StartAsync(workDirectory, replicas, probe);
        baseAddress = balancer.Address;
        logs["nginx"] = balancer.Log;
    }

    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = baseAddress,
    };
    if (topology == "scaled")
    {
        var services = new Dictionary<string, string?>(environment) { ["ASPNETCORE_URLS"] = "http://127.0.0.1:0" };
        var (worker, workerLog) = await Services.StartAsync("Api", "LearnApp.Api.dll", ["worker"], services);
        logs["worker"] = workerLog;
        processes.Add(worker);
        memoryRoots["worker"] = worker.Id;
        var (scheduler, schedulerLog) = await Services.StartAsync("Api", "LearnApp.Api.dll", ["scheduler"], services);
        logs["scheduler"] = schedulerLog;
        processes.Add(scheduler);
        memoryRoots["scheduler"] = scheduler.Id;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var replica in replicas)
        {
            while ((await http.GetFromJsonAsync<TaskStatus>(new Uri(replica, "/api/v1/tasks/status")))!.HeavyTaskRoute != "queue")
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("the worker never showed up in /api/v1/tasks/status");
                }
                await Task.Delay(100);
            }
        }
    }

    Console.WriteLine($"topology={topology} apiReplicas={apiReplicas} concurrency={concurrency} measure={seconds}s warmup={warmup}s cores={Environment.ProcessorCount} {CpuSnapshot.LoadAverage()}");
    Console.WriteLine(Machine.Calibrate());
    Console.WriteLine($"runtime settings from Api/Dockerfile: {(imageEnvironment.Count == 0 ? "none" : string.Join(' ', imageEnvironment.Select(e => $"{e.Key}={e.Value}")))}");
    if (environment.GetValueOrDefault("ConnectionStrings__db") is { } settingsDb)
    {
        // Read from the server itself: the figures depend on whether each commit waits for its WAL flush.
        await using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(settingsDb) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'max_connections', 'shared_buffers')", connection);
        Console.WriteLine($"PostgreSQL settings: {await command.ExecuteScalarAsync()}");
    }
    var users = new List<HttpClient>();
    for (var i = 0; i < concurrency; i++)
    {
        users.Add(await Load.RegisterAsync(baseAddress, http, i));
    }
    var decks = (await users[0].GetFromJsonAsync<List<Deck>>("/api/v1/decks"))!;
    var deck = decks.Single(d => d.Title == "Greek basics");
    var firstCard = (await users[0].GetFromJsonAsync<List<Due>>($"/api/v1/study/due?deckId={deck.Id}&limit=1"))![0].CardId;

    // Idle means idle: let start-up work (JIT, the first scheduler runs) settle first.
    await Task.Delay(TimeSpan.FromSeconds(5));
    Report.Memory("PSS idle", memoryRoots);

    var cpuRoots = new Dictionary<string, int>(memoryRoots);
    if (balancer is not null)
    {
        cpuRoots["nginx"] = balancer.ProcessId;
    }
    var tokens = users.Select(u => u.DefaultRequestHeaders.Authorization!.Parameter!).ToList();
    var dueScript = await Wrk.WriteScriptAsync(workDirectory, "due", tokens,
        $"  return wrk.format(\"GET\", \"/api/v1/study/due?deckId={deck.Id}&limit=20\", {{ [\"Authorization\"] = auth() }})");
    var due = await Load.RunAsync("GET /study/due", baseAddress, dueScript, wrkThreads, concurrency, warmup, seconds, memoryRoots, cpuRoots,
        balancer is null ? null : (balancer.Timings, "GET", "/api/v1/study/due"));
    Report.Throughput(due);

    // A random card of the deck, a passing grade (3 to 5).
    var reviewScript = await Wrk.WriteScriptAsync(workDirectory, "review", tokens, string.Create(CultureInfo.InvariantCulture,
        $"  local body = string.format('{{\"cardId\":%d,\"grade\":%d}}', {firstCard} + math.random(0, {deck.CardCount - 1}), math.random(3, 5))\n  return wrk.format(\"POST\", \"/api/v1/study/reviews\", {{ [\"Authorization\"] = auth(), [\"Content-Type\"] = \"application/json\" }}, body)"));
    var review = await Load.RunAsync("POST /study/reviews", baseAddress, reviewScript, wrkThreads, concurrency, warmup, seconds, memoryRoots, cpuRoots,
        balancer is null ? null : (balancer.Timings, "POST", "/api/v1/study/reviews"));
    Report.Throughput(review);

    // The light phase has its warm-up too: its /me polls are a path the throughput phases did not run, and without
    // one the slowest 1 % of samples were all in its first ~600 ms (tier-1 JIT of that path).
    var lightWarmup = System.Diagnostics.Stopwatch.StartNew();
    while (lightWarmup.Elapsed < TimeSpan.FromSeconds(warmup))
    {
        await Tasks.LightLatenciesAsync(users[0], firstCard, 50);
    }
    var lightMachine = Machine.Calibrate();
    var lightBefore = CpuSnapshot.Take(cpuRoots);
    var lightSince = DateTime.UtcNow;
    var light = await Tasks.LightLatenciesAsync(users[0], firstCard, Math.Min(jobCount, 1000));
    Report.Latencies("light task: review response -> XP in /me", light);
    if (environment.GetValueOrDefault("ConnectionStrings__db") is { } db)
    {
        var me = (await users[0].GetFromJsonAsync<Me>("/api/v1/me"))!;
        Report.Latencies("  its award_xp job, createdAt -> finishedAt (review write, hand-off, start; not the completion's round trip)",
            await Tasks.LightJobTimesAsync(db, me.UserId, lightSince));
    }
    Console.WriteLine("  " + CpuSnapshot.PerOperation(lightBefore, CpuSnapshot.Take(cpuRoots), light.Count) + " (review + /me polls)");
    Console.WriteLine($"  {lightMachine} before the phase");

    // Warm the heavy path first, as the throughput phases have their warm-up: a burst, then jobs one at a time, for
    // the warm-up seconds. Without it, tier-1 JIT of the upload, worker and handler paths was most of the worker's CPU
    // per job (perf: 65 % of its samples on the tiered-compilation thread) even after 50 jobs.
    await Tasks.HeavyBurstAsync(users, firstCard, 300);
    var heavyWarmup = System.Diagnostics.Stopwatch.StartNew();
    while (heavyWarmup.Elapsed < TimeSpan.FromSeconds(warmup))
    {
        await Tasks.HeavyLatenciesAsync(users[0], firstCard, 20);
    }
    var heavyMachine = Machine.Calibrate();
    var heavyBefore = CpuSnapshot.Take(cpuRoots);
    var heavy = await Tasks.HeavyLatenciesAsync(users[0], firstCard, jobCount);
    Report.Latencies($"heavy task createdAt -> finishedAt, one at a time ({heavy.Route})", heavy.Latencies);
    Report.Latencies("  of which createdAt -> startedAt (write, dispatch, claim)", heavy.ToStart);
    Report.Latencies("  of which startedAt -> finishedAt (read, analysis, completion)", heavy.Running);
    Console.WriteLine("  " + CpuSnapshot.PerOperation(heavyBefore, CpuSnapshot.Take(cpuRoots), heavy.Latencies.Count) + " (upload + job + polls)");
    Console.WriteLine($"  {heavyMachine} before the phase");

    var burstBefore = CpuSnapshot.Take(cpuRoots);
    var burst = await Tasks.HeavyBurstAsync(users, firstCard, 500);
    Report.Latencies($"heavy burst createdAt -> finishedAt ({burst.Route})", burst.Latencies);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"heavy burst: {burst.Latencies.Count} jobs in {burst.Span.TotalSeconds:F2} s = {burst.Latencies.Count / burst.Span.TotalSeconds:F0} jobs/s  {CpuSnapshot.LoadAverage()}"));
    Console.WriteLine("  " + CpuSnapshot.PerOperation(burstBefore, CpuSnapshot.Take(cpuRoots), burst.Latencies.Count) + " (upload + job + polls)");

    await Task.Delay(TimeSpan.FromSeconds(5));
    Report.Memory("PSS after load, idle again", memoryRoots);
    Report.ServiceErrors(logs);
}
finally
{
    if (balancer is not null)
    {
        await balancer.DisposeAsync();
    }
    foreach (var process in processes)
    {
        await process.DisposeAsync();
    }
    if (redis is not null)
    {
        await redis.DisposeAsync();
    }
    if (postgres is not null)
    {
        await postgres.DisposeAsync();
    }
    TestWorkDirectory.Delete(workDirectory);
}
return 0;

internal sealed record Deck(int Id, string Title, int CardCount);

internal sealed record Due(int CardId);

internal sealed record Me(Guid UserId);

internal sealed record TaskStatus(string HeavyTaskRoute);
