using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LearnApp.ServiceDefaults.Tests;

public sealed class HttpClientDefaultsTests
{
    [Fact]
    public async Task NamedApiClientResolvesThroughTheServicesEnvironmentVariable()
    {
        await using var backend = await TestWebApp.StartAsync(_ => { }, app => app.MapGet("/who", () => "the real api"));

        // Exactly what the AppHost's WithReference(api) injects; the env var provider turns "__" into ":".
        Environment.SetEnvironmentVariable("services__api__http__0", backend.Address.ToString());
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.AddServiceDefaults();
            builder.Services.AddHttpClient("api", client => client.BaseAddress = new Uri("http://api"));
            using var host = builder.Build();

            var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("api");
            var answer = await client.GetStringAsync(new Uri("/who", UriKind.Relative), TestContext.Current.CancellationToken);

            Assert.Equal("the real api", answer);
        }
        finally
        {
            Environment.SetEnvironmentVariable("services__api__http__0", null);
        }
    }

    [Fact]
    public async Task EveryHttpClientRetriesATransientFailure()
    {
        var calls = 0;
        await using var backend = await TestWebApp.StartAsync(_ => { }, app => app.MapGet("/flaky", () =>
            Interlocked.Increment(ref calls) == 1 ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Text("recovered")));

        var builder = Host.CreateApplicationBuilder();
        builder.AddServiceDefaults();
        using var host = builder.Build();
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        var answer = await client.GetStringAsync(new Uri(backend.Address, "/flaky"), TestContext.Current.CancellationToken);

        Assert.Equal("recovered", answer);
        Assert.Equal(2, calls);
    }
}
