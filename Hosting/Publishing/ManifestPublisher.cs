using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting.Publishing;

/// <summary>
/// <c>--publisher manifest --output-path &lt;file or folder&gt;</c>: writes Aspire's manifest (a folder gets
/// <c>aspire-manifest.json</c>), the file azd reads.
/// </summary>
public sealed class ManifestPublisher(DistributedApplicationExecutionContext executionContext, PublishingOptions options) : IDistributedApplicationPublisher
{
    public const string DefaultFileName = "aspire-manifest.json";

    public async Task PublishAsync(DistributedApplicationModel model, CancellationToken cancellationToken)
    {
        var path = options.RequireOutputPath("manifest");
        if (Directory.Exists(path) || !path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            path = Path.Combine(path, DefaultFileName);
        }
        var directory = Path.GetDirectoryName(path)!;
        Console.WriteLine($"publishing manifest: {model.Resources.Count} resources");
        var manifest = await new ManifestWriter(executionContext, directory).WriteAsync(model);
        foreach (var (name, resource) in manifest["resources"]!.AsObject())
        {
            Console.WriteLine($"  {name,-20} {resource!["type"]}");
        }
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(path, ManifestWriter.Serialize(manifest), cancellationToken);
        Console.WriteLine($"wrote {path}");
    }
}
