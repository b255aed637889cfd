using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace LearnApp.Api.Infrastructure;

/// <summary>
/// Turns what ASP.NET Core rejects before a handler runs (malformed JSON, unbindable parameters, bodies over the
/// limit) into problem details with the status Kestrel chose, instead of a bare 400 or a 500.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var status = badRequest.StatusCode;
        var (title, detail) = status switch
        {
            StatusCodes.Status413PayloadTooLarge => ("Request body too large", "The request body is larger than this endpoint accepts."),
            _ when badRequest.InnerException is JsonException json => ("Malformed JSON", $"The request body is not valid JSON for this call: {json.Message}"),
            _ => ("Bad request", badRequest.Message),
        };
        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
