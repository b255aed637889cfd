using System.Net;
using System.Net.Http.Json;
using LearnApp.Testing;

namespace LearnApp.Api.Tests;

public sealed class ServiceInfoTests(PostgresServerFixture postgres) : IAsyncLifetime
{
    private ApiFactory _factory = null!;

    public async ValueTask InitializeAsync()
    {
        _factory = ApiFactory.ForPostgres(await postgres.CreateDatabaseAsync("info"));
        await _factory.MigrateAsync();
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task RootNamesTheServiceAndItsEnvironment()
    {
        using var client = _factory.CreateClient();

        var info = await client.GetFromJsonAsync<ServiceInfoResponse>("/", TestContext.Current.CancellationToken);

        Assert.NotNull(info);
        Assert.Equal("LearnApp.Api", info.Service);
        Assert.False(string.IsNullOrWhiteSpace(info.Version));
        Assert.Equal("Development", info.Environment);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task DefaultHealthEndpointsAnswerHealthy(string path)
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DevelopmentServesTheOpenApiDocumentAndScalar()
    {
        using var client = _factory.CreateClient();

        var document = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);
        var scalar = await client.GetAsync(new Uri("/scalar/v1", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("/api/v1/study/reviews", document, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
    }

    private sealed record ServiceInfoResponse(string Service, string Version, string Environment);
}
