using System.Security.Claims;
using LearnApp.Api.Auth;
using LearnApp.Data;
using LearnApp.Data.Entities;
using LearnApp.Tasks;
using LearnApp.Tasks.Handlers;
using LearnApp.Tasks.Speaking;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LearnApp.Api.Speaking;

internal static class SpeakingApi
{
    /// <summary>The WAV limit plus room for the multipart framing and the other field.</summary>
    public const long MaxUploadBytes = WavFile.MaxBytes + (64 * 1024);

    public static RouteGroupBuilder MapSpeaking(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/speaking").WithTags("Speaking").RequireAuthorization();

        group.MapPost("/attempts", CreateAttemptAsync)
            .WithName("CreateSpeakingAttempt")
            .WithSummary("Uploads a recording of a card (multipart: cardId, audio as 16-bit mono PCM WAV) for analysis.")
            .WithMetadata(new RequestSizeLimitAttribute(MaxUploadBytes))
            // Bearer tokens are never sent by the browser on its own, so cross-site form posts cannot use them.
            .DisableAntiforgery();

        return group;
    }

    private static async Task<Results<Accepted<SpeakingAttemptAccepted>, ValidationProblem, ProblemHttpResult>> CreateAttemptAsync(
        [FromForm] int? cardId,
        IFormFile? audio,
        ClaimsPrincipal principal,
        LearnAppDbContext db,
        TaskDispatcher tasks,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (cardId is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cardId"] = ["cardId is required."] });
        }
        if (audio is null || audio.Length == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["audio"] = ["An audio file (WAV) is required."] });
        }
        if (audio.Length > WavFile.MaxBytes)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["audio"] = [$"The recording is {audio.Length} bytes; at most {WavFile.MaxBytes} (5 MB) are accepted."],
            });
        }

        var bytes = new byte[audio.Length];
        await using (var stream = audio.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }
        if (!WavFile.TryRead(bytes, out _, out var error))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["audio"] = [error!] });
        }
        if (!await s_cardExists.For(db)(db, cardId.Value, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Card not found", detail: $"There is no card {cardId}.");
        }

        var userId = principal.GetUserId();
        var attempt = new SpeakingAttempt
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            CardId = cardId.Value,
            Audio = bytes,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var job = tasks.NewJob(TaskNames.ProcessSpeakAudio, userId, new ProcessSpeakAudioPayload(attempt.Id));
        await SpeakingAttemptWriter.WriteAsync(db, attempt, job, cancellationToken);
        await tasks.DispatchAsync(job, cancellationToken);

        return TypedResults.Accepted($"/api/v1/jobs/{job.Id}", new SpeakingAttemptAccepted(job.Id));
    }

    // Compiled, as the study queries are: an upload skips building and looking up the query's expression tree.
    private static readonly CompiledPerModel<Func<LearnAppDbContext, int, CancellationToken, Task<bool>>> s_cardExists = new(() =>
        EF.CompileAsyncQuery((LearnAppDbContext db, int cardId, CancellationToken _) => db.Cards.Any(c => c.Id == cardId)));
}

public sealed record SpeakingAttemptAccepted(Guid JobId);
