using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Publishing;
using LearnApp.Hosting.Publishing.Deployment;

namespace LearnApp.Publishing.Compose;

/// <summary>
/// <c>--publisher compose --output-path &lt;folder&gt;</c>: <c>compose.yaml</c> and <c>.env.example</c> from the app
/// model, or with <c>--manifest &lt;file&gt;</c> from an Aspire manifest alone.
/// </summary>
public sealed class ComposePublisher(DistributedApplicationExecutionContext executionContext, PublishingOptions options) : IDistributedApplicationPublisher
{
    public async Task PublishAsync(DistributedApplicationModel model, CancellationToken cancellationToken)
    {
        var outputDirectory = options.RequireOutputPath("compose");
        var (deployment, source) = await DeploymentSource.LoadAsync(model, executionContext, options, outputDirectory, DeploymentTarget.Compose, cancellationToken);
        Console.WriteLine($"publishing compose from {source}: {deployment.Resources.Count} services, {deployment.Parameters.Count} parameters");
        foreach (var resource in deployment.Resources)
        {
            Console.WriteLine($"  {resource.Name,-20} {Describe(resource)}");
        }
        foreach (var warning in deployment.Warnings)
        {
            Console.WriteLine($"warning: {warning}");
        }

        var generatedBy = options.ManifestPath is null
            ? "`dotnet run --project AppHost -- --publisher compose --output-path <this folder>`"
            : $"`--publisher compose --manifest {Path.GetFileName(options.ManifestPath)}`";
        Directory.CreateDirectory(outputDirectory);
        var composePath = Path.Combine(outputDirectory, ComposeFileWriter.ComposeFileName);
        await File.WriteAllTextAsync(composePath, ComposeFileWriter.WriteCompose(deployment, generatedBy), cancellationToken);
        Console.WriteLine($"wrote {composePath}");
        var envPath = Path.Combine(outputDirectory, ComposeFileWriter.EnvExampleFileName);
        await File.WriteAllTextAsync(envPath, ComposeFileWriter.WriteEnvExample(deployment, generatedBy), cancellationToken);
        Console.WriteLine($"wrote {envPath}");
    }

    private static string Describe(DeploymentResource resource)
    {
        var parts = new List<string> { resource.Build is { } build ? $"{resource.Image} (build {build.Dockerfile})" : resource.Image };
        if (resource.Replicas > 1) parts.Add($"{resource.Replicas} replicas");
        if (resource.Profile is { } profile) parts.Add($"profile {profile}");
        if (resource.HealthCheck is not null) parts.Add("healthcheck");
        if (resource.Waits.Count > 0) parts.Add($"after {string.Join(", ", resource.Waits.Select(w => w.Resource))}");
        return string.Join(", ", parts);
    }
}
