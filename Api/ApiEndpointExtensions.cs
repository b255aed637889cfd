using LearnApp.Api.Auth;
using LearnApp.Api.Decks;
using LearnApp.Api.Infrastructure;
using LearnApp.Api.Jobs;
using LearnApp.Api.Leaderboard;
using LearnApp.Api.ServiceInfo;
using LearnApp.Api.Study;
using LearnApp.Api.Tasks;
using Scalar.AspNetCore;

namespace LearnApp.Api;

internal static class ApiEndpointExtensions
{
    public static WebApplication UseLearnAppApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var hasSpa = app.UseSpaFilesIfPresent();
        app.UseRouting();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        if (app.Environment.IsDevelopment())
        {
            app.MapOpenApi();
            app.MapScalarApiReference();
        }

        app.MapDefaultEndpoints();
        if (!hasSpa)
        {
            app.MapServiceInfo();
        }
        app.MapAuth();
        app.MapMe();
        app.MapDecks();
        app.MapStudy();
        app.MapJobs();
        app.MapTasks();
        app.MapLeaderboard();
        if (hasSpa)
        {
            app.MapSpaFallback();
        }
        return app;
    }
}
