using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace LearnApp.Compose.Live.Tests;

internal sealed record RegisterResponse(Guid UserId, string AccessToken);
internal sealed record LoginResponse(string AccessToken, DateTime ExpiresAt);
internal sealed record MeResponse(Guid UserId, string Email, string DisplayName, int Xp, int StreakDays);
internal sealed record DeckSummary(int Id, string Title, string Language, int CardCount);
internal sealed record DueCard(int CardId, string Front, string Back, DateTime? DueAt);
internal sealed record ReviewResult(int CardId, int IntervalDays, double EaseFactor, DateTime DueAt, int XpAwarded);
internal sealed record SpeakingAttemptAccepted(Guid JobId);
internal sealed record JobResponse(Guid Id, string Type, string Status, string? ExecutedBy, int Attempts, System.Text.Json.JsonElement? Result, string? Error)
{
    public int XpAwarded => Result?.GetProperty("xpAwarded").GetInt32() ?? 0;
}
internal sealed record WorkerStatus(string Id, DateTime LastSeen, int Running);
internal sealed record TaskStatusResponse(
    string Executor, string[] HeavyTasks, long? QueueDepth, int InProcessDepth, bool RedisAvailable, string HeavyTaskRoute, WorkerStatus[] Workers);

/// <summary>A user of the deployed app, talking only to the frontend's nginx (which proxies /api to the Api).</summary>
internal sealed class LearnAppClient(Uri frontend) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = frontend, Timeout = TimeSpan.FromSeconds(30) };

    public string Email { get; } = $"live-{Guid.NewGuid():N}@example.test";

    public const string Password = "correct horse battery staple";

    public Guid UserId { get; private set; }

    public async Task RegisterAsync()
    {
        var response = await _http.PostAsJsonAsync("api/v1/auth/register", new { email = Email, password = Password, displayName = "Live Test" });
        await EnsureStatusAsync(response, HttpStatusCode.Created);
        var body = (await response.Content.ReadFromJsonAsync<RegisterResponse>())!;
        UserId = body.UserId;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.AccessToken);
    }

    public async Task LoginAsync()
    {
        var response = await _http.PostAsJsonAsync("api/v1/auth/login", new { email = Email, password = Password });
        await EnsureStatusAsync(response, HttpStatusCode.OK);
        var body = (await response.Content.ReadFromJsonAsync<LoginResponse>())!;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.AccessToken);
    }

    public async Task<string> GetSpaIndexAsync() => await _http.GetStringAsync("study");

    public Task<MeResponse> MeAsync() => GetAsync<MeResponse>("api/v1/me");

    public Task<List<DeckSummary>> DecksAsync() => GetAsync<List<DeckSummary>>("api/v1/decks");

    public Task<List<DueCard>> DueAsync(int deckId) => GetAsync<List<DueCard>>($"api/v1/study/due?deckId={deckId}&limit=100");

    public async Task<ReviewResult> ReviewAsync(int cardId, int grade)
    {
        var response = await _http.PostAsJsonAsync("api/v1/study/reviews", new { cardId, grade });
        await EnsureStatusAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<ReviewResult>())!;
    }

    public async Task<Guid> UploadSpeakingAsync(int cardId, byte[] wav)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(cardId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "cardId" },
        };
        var audio = new ByteArrayContent(wav);
        audio.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(audio, "audio", "attempt.wav");
        var response = await _http.PostAsync("api/v1/speaking/attempts", form);
        await EnsureStatusAsync(response, HttpStatusCode.Accepted);
        return (await response.Content.ReadFromJsonAsync<SpeakingAttemptAccepted>())!.JobId;
    }

    public Task<JobResponse> JobAsync(Guid jobId) => GetAsync<JobResponse>($"api/v1/jobs/{jobId}");

    public Task<TaskStatusResponse> TaskStatusAsync() => GetAsync<TaskStatusResponse>("api/v1/tasks/status");

    /// <summary>Polls the job until it succeeded; a failed job fails the test at once.</summary>
    public Task<JobResponse> WaitForJobAsync(Guid jobId, TimeSpan timeout) =>
        Eventually.ReturnsAsync($"job {jobId} to succeed", timeout, async () =>
        {
            var job = await JobAsync(jobId);
            Assert.NotEqual("failed", job.Status);
            return job.Status == "succeeded" ? job : null;
        });

    private async Task<T> GetAsync<T>(string path)
    {
        var response = await _http.GetAsync(path);
        await EnsureStatusAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    private static async Task EnsureStatusAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new HttpRequestException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} gave {(int)response.StatusCode}, expected {(int)expected}: {body}",
                null,
                response.StatusCode);
        }
    }

    public void Dispose() => _http.Dispose();
}
