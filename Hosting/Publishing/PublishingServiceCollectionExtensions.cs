using LearnApp.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Hosting.Publishing;

public static class PublishingServiceCollectionExtensions
{
    /// <summary>The built-in publishers (today: <c>manifest</c>) and the options every publisher reads.</summary>
    public static IServiceCollection AddPublishing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(PublishingOptions.FromConfiguration(configuration));
        services.AddKeyedSingleton<IDistributedApplicationPublisher>("manifest", (provider, _) =>
            new ManifestPublisher(provider.GetRequiredService<DistributedApplicationExecutionContext>(), provider.GetRequiredService<PublishingOptions>()));
        return services;
    }
}
