using System.Text.Json.Nodes;

namespace LearnApp.Publishing.Tests.Manifest;

/// <summary>The schema check itself: it accepts real Aspire output and rejects what Aspire's schema forbids.</summary>
public sealed class SchemaCheckTests
{
    [Fact]
    public async Task A_manifest_shaped_like_real_Aspire_output_validates() =>
        await JsonSchemas.AssertValidAsync(Repository.AspireSchema, await File.ReadAllTextAsync(Repository.Fixture("aspire-facts-a7.json"), TestContext.Current.CancellationToken), "aspire-facts a.7");

    [Theory]
    [InlineData("api", "replicas", "2")]
    [InlineData("web", "image", "\"nginx\"")]
    [InlineData("pg", "build", "{\"context\": \".\", \"dockerfile\": \"Dockerfile\"}")]
    public async Task A_key_the_schema_forbids_fails_validation(string resource, string key, string value)
    {
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Repository.Fixture("aspire-facts-a7.json"), TestContext.Current.CancellationToken))!;
        manifest["resources"]![resource]![key] = JsonNode.Parse(value);

        var errors = await JsonSchemas.ValidateAsync(Repository.AspireSchema, manifest.ToJsonString());

        Assert.NotEmpty(errors);
    }
}
