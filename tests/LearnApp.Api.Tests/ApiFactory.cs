using System.Net.Http.Headers;
using System.Net.Http.Json;
using LearnApp.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LearnApp.Api.Tests;

/// <summary>
/// The Api on a database of its own, configured only through settings, as the AppHost configures it; a test may add
/// services of its own (a task handler) through <paramref name="testServices"/>.
/// </summary>
public sealed class ApiFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? testServices = null)
    : WebApplicationFactory<Program>
{
    public const string SigningKey = "test-signing-key-0123456789abcdef0123456789abcdef";

    /// <summary>What the app logged at Warning and above.</summary>
    public CapturedLogs Logs { get; } = new();

    public static ApiFactory ForPostgres(string connectionString, params (string Key, string? Value)[] extra) =>
        new(Settings(extra).Append(new("ConnectionStrings:db", connectionString)).ToDictionary());

    public static ApiFactory ForSqlite(string databasePath, params (string Key, string? Value)[] extra) =>
        new(Settings(extra).Append(new("ConnectionStrings:sqlite", $"Data Source={databasePath}")).ToDictionary());

    private static IEnumerable<KeyValuePair<string, string?>> Settings((string Key, string? Value)[] extra) =>
        new Dictionary<string, string?>
        {
            ["Jwt:SigningKey"] = SigningKey,
            ["Auth:LoginAttemptsPerMinute"] = "1000",
        }.Concat(extra.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value)))
        .GroupBy(e => e.Key).Select(g => g.Last());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }
    }

    public async Task MigrateAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        await DatabaseMigrator.MigrateAndSeedAsync(scope.ServiceProvider.GetRequiredService<LearnAppDbContext>());
    }

    public async Task<T> WithDbAsync<T>(Func<LearnAppDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<LearnAppDbContext>());
    }

    /// <summary>Registers a fresh user and returns a client that sends its token.</summary>
    public async Task<(HttpClient Client, Guid UserId)> CreateUserClientAsync(string? name = null)
    {
        var client = CreateClient();
        var email = $"{name ?? "learner"}-{Guid.NewGuid():N}@example.com";
        var response = await client.PostAsJsonAsync("/api/v1/auth/register",
            new { email, password = "correct horse battery", displayName = name ?? "Learner" });
        response.EnsureSuccessStatusCode();
        var registered = await response.Content.ReadFromJsonAsync<RegisterBody>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", registered!.AccessToken);
        return (client, registered.UserId);
    }

    private sealed record RegisterBody(Guid UserId, string AccessToken);
}
