using LearnApp.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace LearnApp.Api.Infrastructure;

/// <summary>
/// A request whose statement gave up waiting for a lock (<see cref="DbErrors.IsLockTimeout"/>) is answered 503 with
/// Retry-After, not 500: nothing of it was written and trying again is safe. Logged at Warning, since an operator
/// wants to know what held the lock.
/// </summary>
internal sealed partial class DatabaseBusyExceptionHandler(IProblemDetailsService problemDetails, ILogger<DatabaseBusyExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!DbErrors.IsLockTimeout(exception))
        {
            return false;
        }

        LogLockTimeout(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers[HeaderNames.RetryAfter] = "1";
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Busy",
                Detail = "The data this request changes is locked by other work right now. Nothing was written; try again.",
            },
        });
    }

    [LoggerMessage(LogLevel.Warning, "{Method} {Path} gave up waiting for a database lock: {Reason}")]
    private static partial void LogLockTimeout(ILogger logger, string method, string path, string reason);
}
