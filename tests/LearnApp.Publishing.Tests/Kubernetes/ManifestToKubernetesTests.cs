using System.Text.Json.Nodes;
using LearnApp.Hosting.Publishing.Deployment;
using LearnApp.Publishing.Kubernetes;

namespace LearnApp.Publishing.Tests.Kubernetes;

public sealed class ManifestToKubernetesTests
{
    [Theory]
    [InlineData("aspire-facts-a7.json")]
    [InlineData("shop-manifest.json")]
    public async Task A_real_shaped_manifest_converts_to_valid_objects_that_fit_together(string fixture)
    {
        var (files, _) = await ConvertAsync(fixture);

        var documents = await KubernetesChecks.AssertValidAsync(files);

        Assert.Contains(documents, d => KubernetesChecks.Kind(d) == "StatefulSet");
        Assert.DoesNotContain(documents, d => d.ToJsonString().Contains("password=", StringComparison.OrdinalIgnoreCase)
            && !d.ToJsonString().Contains("password=$(PARAMETER_", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Services_reach_each_other_through_the_Service_port_and_unknown_images_are_reported()
    {
        var (files, warnings) = await ConvertAsync("shop-manifest.json");

        Assert.Contains("services__gateway__http__0: http://gateway:80", files["shopfront.yaml"], StringComparison.Ordinal);
        Assert.Contains(warnings, w => w.StartsWith("gateway: bind mounts have no Kubernetes form", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("bus: image docker.io/library/rabbitmq:4.1-management may need root", StringComparison.Ordinal));
    }

    private static async Task<(IReadOnlyDictionary<string, string> Files, List<string> Warnings)> ConvertAsync(string fixture)
    {
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Repository.Fixture(fixture), TestContext.Current.CancellationToken))!.AsObject();
        var root = Repository.CreateTempDirectory();
        var model = DeploymentModelBuilder.FromManifest(manifest, Path.Combine(root, "AppHost"), Path.Combine(root, "k8s"), DeploymentTarget.Kubernetes);
        var warnings = model.Warnings.ToList();
        return (KubernetesManifestWriter.Write(model, "a test", warnings), warnings);
    }
}
