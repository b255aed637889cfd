using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Publishing;
using LearnApp.Publishing.Kubernetes;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Hosting;

public static class KubernetesPublishingExtensions
{
    /// <summary>Adds the <c>kubernetes</c> publisher: <c>--publisher kubernetes --output-path deploy/k8s [--manifest file]</c>.</summary>
    public static IDistributedApplicationBuilder AddKubernetesPublishing(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKeyedSingleton<IDistributedApplicationPublisher>("kubernetes", (provider, _) => new KubernetesPublisher(
            provider.GetRequiredService<DistributedApplicationExecutionContext>(), provider.GetRequiredService<PublishingOptions>()));
        return builder;
    }
}
