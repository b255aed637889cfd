namespace LearnApp.Publishing.Tests.Kubernetes;

/// <summary>What the real AppHost writes with <c>--publisher kubernetes</c>, once per class, beside <c>deploy/k8s</c>.</summary>
public sealed class PublishedKubernetesFixture : IAsyncLifetime
{
    public IReadOnlyDictionary<string, string> Files { get; private set; } = new Dictionary<string, string>();

    public string Console { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var output = Path.Combine(Repository.Root, "deploy", $".k8s-test-{Guid.NewGuid():N}");
        try
        {
            var result = await AppHostPublisher.RunAsync("--publisher", "kubernetes", "--output-path", output, "--topology", "scaled");
            Assert.True(result.ExitCode == 0, $"the AppHost failed to publish:\n{result.Output}\n{result.Error}");
            Files = Directory.EnumerateFiles(output).ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f));
            Console = result.Output;
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
