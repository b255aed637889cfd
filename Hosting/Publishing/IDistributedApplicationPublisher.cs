using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting.Publishing;

/// <summary>Writes the app model out (an Aspire manifest, compose, Kubernetes); registered as a keyed service by name.</summary>
public interface IDistributedApplicationPublisher
{
    Task PublishAsync(DistributedApplicationModel model, CancellationToken cancellationToken);
}
