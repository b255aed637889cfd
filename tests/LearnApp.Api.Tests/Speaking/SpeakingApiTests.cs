using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LearnApp.Data.Entities;
using LearnApp.Tasks;
using LearnApp.Tasks.Handlers;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Api.Tests.Speaking;

public sealed class SpeakingApiTests(PostgresServerFixture postgres) : IAsyncLifetime
{
    private ApiFactory _factory = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory = ApiFactory.ForPostgres(await postgres.CreateDatabaseAsync("speaking"));
        await _factory.MigrateAsync();
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task AnUploadedToneIsAnalysedByTheHeavyTaskAndEarnsXp()
    {
        var (client, _) = await _factory.CreateUserClientAsync();
        var cardId = await FirstCardAsync();

        var response = await client.PostAsync(new Uri("/api/v1/speaking/attempts", UriKind.Relative),
            Form(cardId, TestWav.Encode(TestWav.Syllables(6, 200, 0.2, 0.1, 16_000), 16_000)), Cancel);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<AcceptedBody>(Cancel);
        Assert.Equal($"/api/v1/jobs/{accepted!.JobId}", response.Headers.Location?.ToString());
        var job = await Eventually.ReturnsAsync(
            async () => (await client.GetFromJsonAsync<JobBody>($"/api/v1/jobs/{accepted.JobId}", Cancel))!, j => j.Status is "succeeded" or "failed");
        Assert.Equal(("process_speak_audio", "succeeded"), (job.Type, job.Status));
        var analysis = job.Result!.Value.GetProperty("analysis");
        Assert.Equal(1.8, analysis.GetProperty("durationSeconds").GetDouble(), precision: 2);
        Assert.InRange(analysis.GetProperty("pitch").GetProperty("medianHz").GetDouble(), 196, 204);
        Assert.InRange(analysis.GetProperty("voicedFrameRatio").GetDouble(), 0.5, 0.8);
        Assert.True(analysis.GetProperty("estimatedSyllablesPerSecond").GetDouble() > 2);
        Assert.Equal(ProcessSpeakAudioHandler.VoicedXp, job.Result.Value.GetProperty("xpAwarded").GetInt32());
        var me = await client.GetFromJsonAsync<MeBody>("/api/v1/me", Cancel);
        Assert.Equal(ProcessSpeakAudioHandler.VoicedXp, me!.Xp);
    }

    public static TheoryData<string, byte[], string> BadUploads => new()
    {
        { "stereo", TestWav.Encode(TestWav.Tone(220, 0.5, 16_000), 16_000, channels: 2), "mono" },
        { "lying header", TestWav.Encode(TestWav.Tone(220, 0.5, 16_000), 16_000, dataSizeOverride: 9_999_999), "lies" },
        { "truncated", TestWav.Encode(TestWav.Tone(220, 0.5, 16_000), 16_000)[..3_001], "truncated" },
        { "too long", TestWav.Encode(TestWav.Silence(31, 8_000), 8_000), "30 s" },
        { "not audio", "hello"u8.ToArray(), "RIFF/WAVE" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task ABadWavIsRefusedUpFrontWithTheReasonAndCreatesNoJob(string name, byte[] file, string reason)
    {
        var (client, userId) = await _factory.CreateUserClientAsync(name);

        var response = await client.PostAsync(new Uri("/api/v1/speaking/attempts", UriKind.Relative), Form(await FirstCardAsync(), file), Cancel);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(reason, problem.Errors!["audio"][0], StringComparison.Ordinal);
        Assert.Equal(0, await _factory.WithDbAsync(db => db.Jobs.CountAsync(j => j.UserId == userId, Cancel)));
    }

    [Fact]
    public async Task AnUploadOverFiveMegabytesIsRefused()
    {
        var (client, _) = await _factory.CreateUserClientAsync();
        var huge = new byte[(5 * 1024 * 1024) + 1];

        var response = await client.PostAsync(new Uri("/api/v1/speaking/attempts", UriKind.Relative), Form(await FirstCardAsync(), huge), Cancel);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("5 MB", problem.Errors!["audio"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUploadFarOverTheLimitIsRefusedBeforeItIsRead()
    {
        var (client, _) = await _factory.CreateUserClientAsync();

        var response = await client.PostAsync(new Uri("/api/v1/speaking/attempts", UriKind.Relative), Form(await FirstCardAsync(), new byte[8 * 1024 * 1024]), Cancel);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task AnUploadForACardThatDoesNotExistIsNotFoundAndStoresNothing()
    {
        var (client, userId) = await _factory.CreateUserClientAsync();
        var noSuchCard = await _factory.WithDbAsync(db => db.Cards.MaxAsync(c => c.Id, Cancel)) + 1_000;

        var response = await client.PostAsync(new Uri("/api/v1/speaking/attempts", UriKind.Relative),
            Form(noSuchCard, TestWav.Encode(TestWav.Tone(220, 0.5, 16_000), 16_000)), Cancel);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains(noSuchCard.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await _factory.WithDbAsync(db => db.SpeakingAttempts.CountAsync(a => a.UserId == userId, Cancel)));
        Assert.Equal(0, await _factory.WithDbAsync(db => db.Jobs.CountAsync(j => j.UserId == userId, Cancel)));
    }

    [Fact]
    public async Task AMissingFileOrCardIsAValidationProblem()
    {
        var (client, _) = await _factory.CreateUserClientAsync();
        using var noAudio = new MultipartFormDataContent { { new StringContent("1"), "cardId" } };

        var response = await client.PostAsync(new Uri("/api/v1/speaking/attempts", UriKind.Relative), noAudio, Cancel);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("audio", problem.Errors!.Keys);
    }

    [Fact]
    public async Task ARecordingThatTurnsOutBrokenLaterFailsTheJobWithTheReason()
    {
        var (_, userId) = await _factory.CreateUserClientAsync();
        var cardId = await FirstCardAsync();
        var attemptId = Guid.CreateVersion7();
        await _factory.WithDbAsync(db =>
        {
            // Stored bytes that no longer parse, e.g. damaged in storage after the upload check.
            db.SpeakingAttempts.Add(new SpeakingAttempt { Id = attemptId, UserId = userId, CardId = cardId, Audio = "RIFFxxxxWAVE"u8.ToArray(), CreatedAt = DateTime.UtcNow });
            return db.SaveChangesAsync(Cancel);
        });

        Guid jobId;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LearnApp.Data.LearnAppDbContext>();
            jobId = (await scope.ServiceProvider.GetRequiredService<TaskDispatcher>()
                .EnqueueAsync(db, TaskNames.ProcessSpeakAudio, userId, new ProcessSpeakAudioPayload(attemptId), Cancel)).Id;
        }
        var job = await Eventually.ReturnsAsync(() => _factory.WithDbAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId, Cancel)),
            j => j.Status is JobStatus.Failed or JobStatus.Succeeded);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("truncated", job.Error, StringComparison.Ordinal);
        Assert.Equal(1, job.Attempts);
    }

    private Task<int> FirstCardAsync() => _factory.WithDbAsync(db => db.Cards.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync(Cancel));

    private static MultipartFormDataContent Form(int cardId, byte[] wav)
    {
        var audio = new ByteArrayContent(wav);
        audio.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        return new MultipartFormDataContent
        {
            { new StringContent(cardId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "cardId" },
            { audio, "audio", "attempt.wav" },
        };
    }

    private sealed record AcceptedBody(Guid JobId);

    private sealed record JobBody(Guid Id, string Type, string Status, JsonElement? Result, string? Error);

    private sealed record MeBody(int Xp);
}
