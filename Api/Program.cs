using LearnApp.Api;
using LearnApp.Api.Modes;

if (!ApiModeParser.TryParse(args, out var mode, out var error))
{
    await Console.Error.WriteLineAsync(error);
    return 2;
}

var builder = WebApplication.CreateBuilder(ApiModeParser.HostArguments(args));
builder.AddLearnAppApi(mode);
var app = builder.Build();

switch (mode)
{
    case ApiMode.Migrate:
        return await app.RunMigrationsAsync();
    case ApiMode.Worker or ApiMode.Scheduler:
        // No Api endpoints: only /health and /alive, so the orchestrator, compose and Kubernetes can probe them.
        app.MapDefaultEndpoints();
        break;
    default:
        app.UseLearnAppApi();
        break;
}

await app.RunAsync();
return 0;
