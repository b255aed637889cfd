using System.Security.Claims;
using System.Text.Json;
using LearnApp.Api.Auth;
using LearnApp.Data;
using LearnApp.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LearnApp.Api.Jobs;

internal static class JobsApi
{
    public static RouteGroupBuilder MapJobs(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/jobs").WithTags("Jobs").RequireAuthorization();
        group.MapGet("/{jobId:guid}", GetJobAsync)
            .WithName("GetJob")
            .WithSummary("A background job of the caller's: status, timings, result or error. Other users' jobs are 404.");
        return group;
    }

    private static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> GetJobAsync(
        Guid jobId, ClaimsPrincipal principal, LearnAppDbContext db, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var job = await JobQuery.ReadAsync(db, jobId, userId, cancellationToken);
        if (job is null)
        {
            // The same answer for "missing" and "someone else's": ids of other users' jobs reveal nothing.
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Job not found", detail: $"You have no job {jobId}.");
        }

        return TypedResults.Ok(JobResponse.From(job));
    }
}

public sealed record JobResponse(
    Guid Id,
    string Type,
    string Status,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    string? ExecutedBy,
    int Attempts,
    JsonElement? Result,
    string? Error)
{
    public static JobResponse From(Job job) => new(
        job.Id,
        job.Type,
        job.Status.ToString().ToLowerInvariant(),
        job.CreatedAt,
        job.StartedAt,
        job.FinishedAt,
        job.ExecutedBy,
        job.Attempts,
        job.Result is null ? null : JsonDocument.Parse(job.Result).RootElement.Clone(),
        job.Error);
}
