using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Hosting.Orchestration;

public static class OrchestrationServiceCollectionExtensions
{
    /// <summary>Run mode only: the orchestrator, the resource state and console log services, the console reporter, the resource commands.</summary>
    public static IServiceCollection AddOrchestration(this IServiceCollection services, OrchestratorOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<ResourceNotificationService>();
        services.AddSingleton<ResourceLoggerService>();
        // The reporter watches first, so it sees the first snapshot of every resource.
        services.AddHostedService<ConsoleResourceReporter>();
        services.AddSingleton<ApplicationOrchestrator>();
        services.AddHostedService(sp => sp.GetRequiredService<ApplicationOrchestrator>());
        services.AddSingleton(sp => new ResourceCommandService(
            sp.GetRequiredService<ApplicationOrchestrator>(), sp.GetRequiredService<ResourceNotificationService>()));
        return services;
    }
}
