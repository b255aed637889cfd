using LearnApp.Api;
using LearnApp.Api.Modes;
using Microsoft.Extensions.Options;

if (!ApiModeParser.TryParse(args, out var mode, out var error))
{
    await Console.Error.WriteLineAsync(error);
    return 2;
}

try
{
    var builder = WebApplication.CreateBuilder(ApiModeParser.HostArguments(args));
    builder.AddLearnAppApi(mode);
    var app = builder.Build();
    // The host would run these checks in StartAsync too, but would first log the failure with its stack trace.
    app.Services.GetService<IStartupValidator>()?.Validate();

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
}
catch (OptionsValidationException ex)
{
    // Bad configuration is the operator's to fix: one line that says what, not a stack trace.
    await Console.Error.WriteLineAsync($"{mode.ToString().ToLowerInvariant()} cannot start: {string.Join(" ", ex.Failures)}");
    return 1;
}
