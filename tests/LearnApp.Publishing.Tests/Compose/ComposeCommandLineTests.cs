using System.Text.Json.Nodes;

namespace LearnApp.Publishing.Tests.Compose;

public sealed class ComposeCommandLineTests
{
    [Fact]
    public async Task Given_a_manifest_the_AppHost_converts_it_alone_and_says_what_it_could_not_know()
    {
        var output = Repository.CreateTempDirectory();

        var result = await AppHostPublisher.RunAsync("--publisher", "compose", "--manifest", Repository.Fixture("shop-manifest.json"), "--output-path", output);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("warning: an Aspire manifest has no replicas", result.Output, StringComparison.Ordinal);
        var compose = await File.ReadAllTextAsync(Path.Combine(output, "compose.yaml"), TestContext.Current.CancellationToken);
        var services = YamlDocuments.ParseSingle(compose)!["services"]!.AsObject();
        Assert.Equal(["store", "carts", "bus", "orders", "gateway", "shopfront"], services.Select(s => s.Key));
        await ComposeChecks.AssertValidAsync(compose, await File.ReadAllTextAsync(Path.Combine(output, ".env.example"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_manifest_with_an_unresolvable_expression_is_a_one_line_error_naming_the_resource()
    {
        var directory = Repository.CreateTempDirectory();
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Repository.Fixture("aspire-facts-a7.json"), TestContext.Current.CancellationToken))!;
        manifest["resources"]!["web"]!["env"]!["services__search__http__0"] = "{search.bindings.http.url}";
        var path = Path.Combine(directory, "broken.json");
        await File.WriteAllTextAsync(path, manifest.ToJsonString(), TestContext.Current.CancellationToken);

        var result = await AppHostPublisher.RunAsync("--publisher", "compose", "--manifest", path, "--output-path", Path.Combine(directory, "out"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: resource 'web': {search.bindings.http.url} refers to 'search', which is not in the manifest", result.Error);
        Assert.False(Directory.Exists(Path.Combine(directory, "out")));
    }

    [Fact]
    public async Task A_missing_manifest_file_is_a_one_line_error()
    {
        var result = await AppHostPublisher.RunAsync("--publisher", "compose", "--manifest", "/nonexistent/m.json", "--output-path", Repository.CreateTempDirectory());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: --manifest /nonexistent/m.json: no such file", result.Error);
    }
}
