namespace LearnApp.Publishing.Tests.Compose;

/// <summary>
/// What the real AppHost writes with <c>--publisher compose</c>, once per test class, into a folder beside
/// <c>deploy/compose</c> (same depth, so the relative build paths are the same).
/// </summary>
public sealed class PublishedComposeFixture : IAsyncLifetime
{
    public string Compose { get; private set; } = "";

    public string EnvExample { get; private set; } = "";

    public string Console { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var output = Path.Combine(Repository.Root, "deploy", $".compose-test-{Guid.NewGuid():N}");
        try
        {
            var result = await AppHostPublisher.RunAsync("--publisher", "compose", "--output-path", output, "--topology", "scaled");
            Assert.True(result.ExitCode == 0, $"the AppHost failed to publish:\n{result.Output}\n{result.Error}");
            Compose = await File.ReadAllTextAsync(Path.Combine(output, "compose.yaml"));
            EnvExample = await File.ReadAllTextAsync(Path.Combine(output, ".env.example"));
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
