using System.Reflection;

namespace LearnApp.Api.ServiceInfo;

internal static class ServiceInfoApi
{
    public static IEndpointRouteBuilder MapServiceInfo(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", (IHostEnvironment environment) => TypedResults.Ok(new ServiceInfo(
                environment.ApplicationName,
                typeof(ServiceInfoApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
                environment.EnvironmentName)))
            .WithName("GetServiceInfo")
            .WithSummary("Names the running service, its version and environment.");
        return routes;
    }
}

internal sealed record ServiceInfo(string Service, string Version, string Environment);
