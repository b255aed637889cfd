using LearnApp.Hosting.ApplicationModel;
using LearnApp.Hosting.Orchestration;
using LearnApp.Testing;

namespace LearnApp.Hosting.Tests.Orchestration;

[Collection(nameof(OrchestratorTests))]
public sealed class NpmAppTests
{
    [Fact]
    public async Task AnNpmAppRunsItsScriptOnThePortItIsGivenAndFindsTheApi()
    {
        var web = TestWorkDirectory.Create("npm-app");
        // A dev server in one line: it answers with the Api URL it was given through service discovery.
        await File.WriteAllTextAsync(Path.Combine(web, "package.json"), """
            {
              "name": "learnapp-test-web",
              "private": true,
              "scripts": {
                "dev": "node -e \"require('http').createServer((q, s) => s.end(process.env.services__api__http__0 + ' ' + process.env.NODE_ENV)).listen(process.env.PORT, '127.0.0.1')\""
              }
            }
            """, TestContext.Current.CancellationToken);
        var builder = OrchestratedApp.CreateBuilder();
        var api = builder.AddProject("api", OrchestratedApp.TestServiceProject).WithHttpHealthCheck("/health");
        var frontend = builder.AddNpmApp("frontend", web, "dev")
            .WithReference(api).WaitFor(api)
            .WithHttpEndpoint(env: "PORT").WithExternalHttpEndpoints()
            .WithHttpHealthCheck("/");
        await using var app = await OrchestratedApp.StartAsync(builder);

        await app.WaitUntilAsync(a => ResourceNotificationService.IsRunningAndHealthy(a.Single("frontend")), "the frontend is up", timeoutSeconds: 120);

        using var http = new HttpClient();
        var answer = await http.GetStringAsync(frontend.Resource.GetEndpoint("http").Url, TestContext.Current.CancellationToken);
        Assert.Matches($"^{api.Resource.GetEndpoint("http").Url} (development|production)$", answer);
    }
}
