using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LearnApp.Api.Tests;

public sealed class ServiceInfoTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task RootNamesTheServiceAndItsEnvironment()
    {
        using var client = factory.CreateClient();

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
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private sealed record ServiceInfoResponse(string Service, string Version, string Environment);
}
