using System.Text.Json.Nodes;

namespace LearnApp.Publishing.Tests.Manifest;

/// <summary>
/// The manifest the real AppHost writes for the scaled topology, written once per test class. It is written next
/// to the checked-in one (the repository root), so the relative paths inside are the same.
/// </summary>
public sealed class PublishedManifestFixture : IAsyncLifetime
{
    public string Json { get; private set; } = "";

    public JsonObject Resources => JsonNode.Parse(Json)!["resources"]!.AsObject();

    public string Console { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var path = Path.Combine(Repository.Root, $".aspire-manifest.{Guid.NewGuid():N}.json");
        try
        {
            var result = await AppHostPublisher.RunAsync("--publisher", "manifest", "--output-path", path, "--topology", "scaled");
            Assert.True(result.ExitCode == 0, $"the AppHost failed to publish:\n{result.Output}\n{result.Error}");
            Json = await File.ReadAllTextAsync(path);
            Console = result.Output;
        }
        finally
        {
            File.Delete(path);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
