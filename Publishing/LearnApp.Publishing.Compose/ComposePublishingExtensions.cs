using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Publishing;
using LearnApp.Publishing.Compose;
using Microsoft.Extensions.DependencyInjection;

namespace LearnApp.Hosting;

public static class ComposePublishingExtensions
{
    /// <summary>Adds the <c>compose</c> publisher: <c>--publisher compose --output-path deploy/compose [--manifest file]</c>.</summary>
    public static IDistributedApplicationBuilder AddComposePublishing(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKeyedSingleton<IDistributedApplicationPublisher>("compose", (provider, _) => new ComposePublisher(
            provider.GetRequiredService<DistributedApplicationExecutionContext>(), provider.GetRequiredService<PublishingOptions>()));
        return builder;
    }
}
