namespace LearnApp.Compose.Live.Tests;

/// <summary>
/// The scaled profile of deploy/compose under faults a VPS sees, driven through the frontend's nginx only. Each test
/// leaves the stack whole (every container back and healthy) for the next.
/// </summary>
public sealed class ScaledProfileTests(ScaledDeployment scaled, ITestOutputHelper output) : IClassFixture<ScaledDeployment>
{
    private static readonly TimeSpan s_jobTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Speaking_jobs_run_on_a_worker_container()
    {
        LiveImages.SkipIfRequested();
        output.WriteLine(scaled.Figures);
        await scaled.RestoreAsync();
        var containers = await scaled.Stack.ContainersAsync();
        Assert.Equal(2, containers.Count(c => c.Service == "api"));
        Assert.Equal(ScaledDeployment.Workers, containers.Count(c => c.Service == "worker"));
        Assert.Single(containers, c => c.Service == "scheduler" && c.IsRunning);
        foreach (var container in containers.Where(c => c.IsRunning))
        {
            Assert.True(await Docker.UserIdInsideAsync(container.Id) != 0, $"{container.Service} runs as root");
        }

        using var user = await SignedInUserAsync();
        var status = await WaitForWorkersAsync(user, ScaledDeployment.Workers);
        Assert.Equal("queue", status.HeavyTaskRoute);
        Assert.True(status.RedisAvailable);

        var job = await user.WaitForJobAsync(await user.UploadSpeakingAsync(await AnyCardAsync(user), SpeechWav.Create()), s_jobTimeout);
        var workers = containers.Where(c => c.Service == "worker").ToList();
        Assert.Contains(workers, w => job.ExecutedBy!.Contains(w.Hostname, StringComparison.Ordinal));
        foreach (var worker in workers)
        {
            // The one .NET image in its worker mode, not an image of its own.
            Assert.Equal("learnapp-api:latest [\"worker\"]", await Docker.OutputAsync("inspect", "--format", "{{.Config.Image}} {{json .Config.Cmd}}", worker.Id));
        }
        output.WriteLine($"speaking job executed by {job.ExecutedBy}");
    }

    [Fact]
    public async Task A_worker_killed_mid_job_leaves_the_job_to_the_other_worker()
    {
        LiveImages.SkipIfRequested();
        await scaled.RestoreAsync();
        var stack = scaled.Stack;
        using var user = await SignedInUserAsync();
        var card = await AnyCardAsync(user);
        var workers = await stack.ContainersAsync("worker");
        var (victim, survivor) = (workers[0], workers[1]);

        // Only the victim reads the queue while the job starts, and the job blocks on the user's row inside it.
        (await Docker.RunAsync(TimeSpan.FromMinutes(1), "stop", "--time", "10", survivor.Id)).EnsureSuccess();
        await using var rowLock = await stack.OpenPsqlSessionAsync();
        // NO KEY UPDATE: blocks the job's XP update, but not the upload's inserts that reference the user.
        await rowLock.ExecuteAsync($"BEGIN; SELECT 1 FROM users WHERE \"Id\" = '{user.UserId}' FOR NO KEY UPDATE;", TimeSpan.FromSeconds(30));
        var jobId = await user.UploadSpeakingAsync(card, SpeechWav.Create());
        var running = await Eventually.ReturnsAsync("the victim worker to start the job", TimeSpan.FromSeconds(60), async () =>
            await user.JobAsync(jobId) is { Status: "running" } job ? job : null);
        Assert.Contains(victim.Hostname, running.ExecutedBy!, StringComparison.Ordinal);

        (await Docker.RunAsync(TimeSpan.FromMinutes(1), "start", survivor.Id)).EnsureSuccess();
        await WaitContainerHealthyAsync(survivor.Id);
        (await Docker.RunAsync(TimeSpan.FromMinutes(1), "kill", victim.Id)).EnsureSuccess();
        await Eventually.HoldsAsync("the victim worker to be gone", TimeSpan.FromSeconds(30),
            async () => (await Docker.InspectAsync([victim.Id])).Single().Status == "exited");
        // The killed worker's last statement waits for our lock. PostgreSQL would notice the dead client only when
        // it next wrote to it, and the statement would commit once we let go; the services' connection strings set
        // client_connection_check_interval, so PostgreSQL drops it by itself. Only then is the lock released.
        await Eventually.HoldsAsync("PostgreSQL to drop the killed worker's blocked statement", TimeSpan.FromSeconds(15), async () =>
            (await rowLock.ExecuteAsync("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid();", TimeSpan.FromSeconds(30))).Trim() == "0");
        await rowLock.ExecuteAsync("ROLLBACK;", TimeSpan.FromSeconds(30));

        var done = await user.WaitForJobAsync(jobId, s_jobTimeout);
        output.WriteLine($"job started by {running.ExecutedBy}, finished by {done.ExecutedBy} after {done.Attempts} attempts");
        Assert.Contains(survivor.Hostname, done.ExecutedBy!, StringComparison.Ordinal);
        Assert.True(done.Attempts >= 2);
        // Nothing lost and nothing doubled: the attempt's XP was awarded exactly once.
        await Eventually.HoldsAsync("the job's XP once", TimeSpan.FromSeconds(30), async () => (await user.MeAsync()).Xp == done.XpAwarded);

        (await Docker.RunAsync(TimeSpan.FromMinutes(1), "start", victim.Id)).EnsureSuccess();
        await stack.WaitHealthyAsync(ScaledDeployment.HealthyTimeout, ScaledDeployment.Containers);
        await WaitForWorkersAsync(user, ScaledDeployment.Workers);
    }

    [Fact]
    public async Task Restarting_PostgreSQL_turns_Api_health_to_503_and_back_without_an_Api_restart()
    {
        LiveImages.SkipIfRequested();
        await scaled.RestoreAsync();
        var stack = scaled.Stack;
        using var user = await SignedInUserAsync();
        var card = await AnyCardAsync(user);
        var review = await user.ReviewAsync(card, grade: 4);
        var apis = await stack.ContainersAsync("api");

        (await stack.ComposeAsync("stop", "--timeout", "10", "postgres")).EnsureSuccess();
        foreach (var api in apis)
        {
            await Eventually.HoldsAsync($"{api.Hostname} /health to answer 503", TimeSpan.FromSeconds(60),
                async () => await Docker.HealthStatusInsideAsync(api.Id) == 503);
        }
        (await stack.ComposeAsync("start", "postgres")).EnsureSuccess();
        foreach (var api in apis)
        {
            await Eventually.HoldsAsync($"{api.Hostname} /health to answer 200 again", TimeSpan.FromSeconds(90),
                async () => await Docker.HealthStatusInsideAsync(api.Id) == 200);
        }

        var after = await stack.ContainersAsync("api");
        Assert.Equal(apis.Select(a => (a.Id, a.StartedAt, a.RestartCount)), after.Select(a => (a.Id, a.StartedAt, a.RestartCount)));
        await user.LoginAsync();
        Assert.DoesNotContain(await user.DueAsync(await DeckIdAsync(user)), c => c.CardId == review.CardId);
        await stack.WaitHealthyAsync(ScaledDeployment.HealthyTimeout, ScaledDeployment.Containers);
    }

    [Fact]
    public async Task With_Redis_stopped_heavy_tasks_run_in_process_on_the_Api()
    {
        LiveImages.SkipIfRequested();
        await scaled.RestoreAsync();
        var stack = scaled.Stack;
        using var user = await SignedInUserAsync();
        var apis = await stack.ContainersAsync("api");

        (await stack.ComposeAsync("stop", "--timeout", "10", "cache")).EnsureSuccess();
        try
        {
            await WaitForRouteOnEveryReplicaAsync(user, "inprocess");
            var job = await user.WaitForJobAsync(await user.UploadSpeakingAsync(await AnyCardAsync(user), SpeechWav.Create()), s_jobTimeout);
            Assert.Contains(apis, api => job.ExecutedBy!.Contains(api.Hostname, StringComparison.Ordinal));
            await Eventually.HoldsAsync("the job's XP", TimeSpan.FromSeconds(30), async () => (await user.MeAsync()).Xp == job.XpAwarded);
        }
        finally
        {
            (await stack.ComposeAsync("start", "cache")).EnsureSuccess();
        }
        await WaitForRouteOnEveryReplicaAsync(user, "queue");
        await stack.WaitHealthyAsync(ScaledDeployment.HealthyTimeout, ScaledDeployment.Containers);
    }

    private async Task<LearnAppClient> SignedInUserAsync()
    {
        var user = new LearnAppClient(scaled.Stack.FrontendUrl);
        await user.RegisterAsync();
        return user;
    }

    private static async Task<int> DeckIdAsync(LearnAppClient user) => (await user.DecksAsync()).First(d => d.CardCount > 0).Id;

    private static async Task<int> AnyCardAsync(LearnAppClient user) => (await user.DueAsync(await DeckIdAsync(user))).First().CardId;

    private static Task<TaskStatusResponse> WaitForWorkersAsync(LearnAppClient user, int count) =>
        Eventually.ReturnsAsync($"{count} live workers", TimeSpan.FromSeconds(60), async () =>
            await user.TaskStatusAsync() is { } status && status.Workers.Length == count && status.HeavyTaskRoute == "queue" ? status : null);

    /// <summary>nginx spreads requests over both replicas: the route must read the same several times in a row.</summary>
    private static async Task WaitForRouteOnEveryReplicaAsync(LearnAppClient user, string route)
    {
        var streak = 0;
        await Eventually.HoldsAsync($"every Api replica to route heavy tasks {route}", TimeSpan.FromSeconds(90), async () =>
        {
            streak = (await user.TaskStatusAsync()).HeavyTaskRoute == route ? streak + 1 : 0;
            return streak >= 6;
        });
    }

    private static Task WaitContainerHealthyAsync(string id) =>
        Eventually.HoldsAsync($"container {id[..12]} to be healthy", ScaledDeployment.HealthyTimeout,
            async () => (await Docker.InspectAsync([id])).Single().IsHealthy);
}
