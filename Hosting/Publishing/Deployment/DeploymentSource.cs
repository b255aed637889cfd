using System.Text.Json;
using System.Text.Json.Nodes;
using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting.Publishing.Deployment;

/// <summary>Where a converter's input comes from: <c>--manifest &lt;file&gt;</c> when given, else the app model.</summary>
public static class DeploymentSource
{
    public static async Task<(DeploymentModel Model, string Description)> LoadAsync(
        DistributedApplicationModel model, DistributedApplicationExecutionContext executionContext, PublishingOptions options,
        string outputDirectory, DeploymentTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ManifestPath is not { } manifestPath)
        {
            return (await DeploymentModelBuilder.FromAppModelAsync(model, executionContext, outputDirectory, target), "the app model");
        }
        var path = Path.GetFullPath(manifestPath);
        if (!File.Exists(path))
        {
            throw new PublishingException($"--manifest {manifestPath}: no such file");
        }
        JsonObject manifest;
        try
        {
            manifest = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken)) as JsonObject
                ?? throw new PublishingException($"--manifest {manifestPath}: not a JSON object");
        }
        catch (JsonException exception)
        {
            throw new PublishingException($"--manifest {manifestPath}: not valid JSON ({exception.Message})");
        }
        return (DeploymentModelBuilder.FromManifest(manifest, Path.GetDirectoryName(path)!, outputDirectory, target), path);
    }
}
