using System.Net.Http.Json;
using LearnApp.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Api.Tests.Tasks;

/// <summary>
/// One test's task setup: its own database, its own Redis keys (tests share one Redis server and run in parallel)
/// and the settings the Api and the worker processes both get.
/// </summary>
internal sealed class TaskScenario
{
    private readonly string _keyPrefix = $"test:{Guid.NewGuid():N}";

    public TaskScenario(string? databaseConnectionString, string? redisConnectionString)
    {
        Settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:db"] = databaseConnectionString,
            ["ConnectionStrings:cache"] = redisConnectionString,
            ["Tasks:StreamKey"] = $"{_keyPrefix}:jobs",
            ["Tasks:DeadLetterStreamKey"] = $"{_keyPrefix}:jobs:dead",
            ["Tasks:WorkersKey"] = $"{_keyPrefix}:workers",
            ["Tasks:ImpressionsKey"] = $"{_keyPrefix}:impressions",
            ["Scheduler:LockKey"] = $"{_keyPrefix}:scheduler:leader",
            ["Scheduler:LastRunKeyPrefix"] = $"{_keyPrefix}:scheduler:last:",
            ["Tasks:HeartbeatInterval"] = "00:00:00.250",
            ["Tasks:WorkerTimeout"] = "00:00:02",
            ["Tasks:VisibilityTimeout"] = "00:00:03",
            ["Tasks:SweepInterval"] = "00:00:00.500",
            ["Tasks:StrandedAfter"] = "00:10:00",
            ["Logging:LogLevel:Default"] = "Warning",
        };
    }

    public Dictionary<string, string?> Settings { get; }

    public string DeadLetterKey => $"{_keyPrefix}:jobs:dead";

    public string ImpressionsKey => $"{_keyPrefix}:impressions";

    public TaskScenario With(string key, string? value)
    {
        Settings[key] = value;
        return this;
    }

    public ApiFactory CreateApi(string executor, Action<IServiceCollection>? testServices = null) =>
        new(new Dictionary<string, string?>(Settings)
        {
            ["TASK_EXECUTOR"] = executor,
            ["Tasks:ExecutorName"] = "api-1",
            ["Jwt:SigningKey"] = ApiFactory.SigningKey,
            ["Auth:LoginAttemptsPerMinute"] = "1000",
        }, testServices);

    public Task<WorkerProcess> StartWorkerAsync(string name) => WorkerProcess.StartAsync(name, Settings);

    public static async Task<int> FirstCardAsync(HttpClient client)
    {
        var decks = await client.GetFromJsonAsync<List<DeckBody>>("/api/v1/decks");
        var due = await client.GetFromJsonAsync<List<DueBody>>($"/api/v1/study/due?deckId={decks!.First().Id}&limit=1");
        return due![0].CardId;
    }

    /// <summary>Reviews a card and returns the id of the award_xp job the review created.</summary>
    public static async Task<Guid> ReviewAsync(ApiFactory api, HttpClient client, Guid userId, int cardId, int grade = 5)
    {
        (await client.PostAsJsonAsync("/api/v1/study/reviews", new { cardId, grade })).EnsureSuccessStatusCode();
        return await api.WithDbAsync(db => db.Jobs.Where(j => j.UserId == userId).OrderByDescending(j => j.CreatedAt).Select(j => j.Id).FirstAsync());
    }

    public static Task<Job> JobAsync(ApiFactory api, Guid jobId) =>
        api.WithDbAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId));

    public static Task<Job> FinishedJobAsync(ApiFactory api, Guid jobId, TimeSpan? timeout = null) =>
        Eventually.ReturnsAsync(() => JobAsync(api, jobId), j => j.Status is JobStatus.Succeeded or JobStatus.Failed, timeout ?? TimeSpan.FromSeconds(30));

    public static Task<TaskStatusBody> WaitForStatusAsync(HttpClient client, Func<TaskStatusBody, bool> condition) =>
        Eventually.ReturnsAsync(async () => (await client.GetFromJsonAsync<TaskStatusBody>("/api/v1/tasks/status"))!, condition, TimeSpan.FromSeconds(30));

    public sealed record DeckBody(int Id, string Title);

    public sealed record DueBody(int CardId);

    public sealed record TaskStatusBody(string Executor, string[] HeavyTasks, long? QueueDepth, int InProcessDepth, bool RedisAvailable, string HeavyTaskRoute, WorkerBody[] Workers)
    {
        public override string ToString() => $"{Executor} route={HeavyTaskRoute} redis={RedisAvailable} workers=[{string.Join(',', Workers.Select(w => w.Id))}]";
    }

    public sealed record WorkerBody(string Id, DateTime LastSeen, int Running);
}
