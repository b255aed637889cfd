using LearnApp.Hosting.Dashboard.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LearnApp.Hosting.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// Run mode only, BEFORE the orchestration services: the dev dashboard (unless <c>Dashboard:Enabled=false</c>). Its
    /// OTLP receiver must listen before the orchestrator hands its address to the services it starts.
    /// </summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        var options = DashboardOptions.FromConfiguration(configuration);
        if (!options.Enabled)
        {
            return services;
        }
        services.AddSingleton(options);
        services.AddSingleton(new TelemetryStore(options.TelemetryLimits));
        services.AddSingleton<DashboardServer>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DashboardServer>());
        return services;
    }
}
