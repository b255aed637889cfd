using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using LearnApp.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LearnApp.Api.Tests;

public sealed class AuthTests(PostgresServerFixture postgres) : IAsyncLifetime
{
    private ApiFactory _factory = null!;
    private string _connectionString = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("auth");
        _factory = ApiFactory.ForPostgres(_connectionString);
        await _factory.MigrateAsync();
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task RegisteredUserLogsInAndSeesTheirProfile()
    {
        using var client = _factory.CreateClient();
        var email = $"Eleni-{Guid.NewGuid():N}@Example.com";

        var registered = await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = "s3cret-pass", displayName = "Eleni" }, Cancel);
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = email.ToLowerInvariant(), password = "s3cret-pass" }, Cancel);

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var token = await login.Content.ReadFromJsonAsync<LoginBody>(Cancel);
        Assert.NotNull(token);
        Assert.InRange(token.ExpiresAt, DateTime.UtcNow.AddMinutes(50), DateTime.UtcNow.AddMinutes(61));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        var me = await client.GetFromJsonAsync<MeBody>("/api/v1/me", Cancel);
        Assert.Equal("Eleni", me!.DisplayName);
        Assert.Equal(0, me.Xp);
    }

    [Fact]
    public async Task PasswordsAreStoredHashedNotInClear()
    {
        var (_, userId) = await _factory.CreateUserClientAsync();

        var hash = await _factory.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.PasswordHash).SingleAsync(Cancel));

        Assert.DoesNotContain("correct horse battery", hash, StringComparison.Ordinal);
        Assert.True(hash.Length > 40);
    }

    [Fact]
    public async Task RegisteringTheSameEmailTwiceIsAConflict()
    {
        using var client = _factory.CreateClient();
        var body = new { email = $"dup-{Guid.NewGuid():N}@example.com", password = "long enough", displayName = "Dup" };

        await client.PostAsJsonAsync("/api/v1/auth/register", body, Cancel);
        var second = await client.PostAsJsonAsync("/api/v1/auth/register", body with { email = body.email.ToUpperInvariant() }, Cancel);

        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task ARegistrationThatLosesTheRaceForItsAddressIsAConflictAndLogsNoError()
    {
        var email = $"race-{Guid.NewGuid():N}@example.com";
        // A rival registration of the address, not yet committed: the Api finds no user, inserts, and waits on the key.
        await using var rival = await HeldTransaction.BeginAsync(_connectionString,
            """
            INSERT INTO users ("Id", "Email", "NormalizedEmail", "DisplayName", "PasswordHash", "Xp", "StreakDays", "CreatedAt")
            VALUES (gen_random_uuid(), @email, upper(@email), 'Rival', 'x', 0, 0, now())
            """, new Dictionary<string, object> { ["email"] = email }, Cancel);
        using var client = _factory.CreateClient();
        var registration = client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = "long enough", displayName = "Late" }, Cancel);
        await Eventually.ReturnsAsync(() => rival.WaitersAsync(Cancel), waiters => waiters == 1);
        await rival.CommitAsync(Cancel);

        await ProblemAssert.IsProblemAsync(await registration, HttpStatusCode.Conflict);
        _factory.Logs.AssertNoneAtLeast(Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task ADatabaseThatRefusesARegistrationIsAServerErrorNotAnEmailThatIsTaken()
    {
        // Only a unique violation means the address is taken; anything else the database says is the server's fault.
        await using (var connection = new Npgsql.NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync(Cancel);
            await using var trigger = new Npgsql.NpgsqlCommand(
                """
                CREATE FUNCTION refuse_registrations() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW."DisplayName" = 'Refused' THEN RAISE EXCEPTION 'no space left on device'; END IF; RETURN NEW; END $$;
                CREATE TRIGGER refuse_registrations BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION refuse_registrations();
                """, connection);
            await trigger.ExecuteNonQueryAsync(Cancel);
        }
        using var client = _factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/v1/auth/register",
            new { email = $"refused-{Guid.NewGuid():N}@example.com", password = "long enough", displayName = "Refused" }, Cancel);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.InternalServerError);
    }

    [Fact]
    public async Task RegistrationWithAShortPasswordIsAValidationProblem()
    {
        using var client = _factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = "x@example.com", password = "short", displayName = "X" }, Cancel);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("password", problem.Errors!.Keys);
    }

    [Fact]
    public async Task AWrongPasswordIsUnauthorized()
    {
        using var client = _factory.CreateClient();
        var email = $"wrong-{Guid.NewGuid():N}@example.com";
        await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = "right password", displayName = "W" }, Cancel);

        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "wrong password" }, Cancel);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AMissingTokenIsAnUnauthorizedProblem()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative), Cancel);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("access token", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredTokenIsRejected()
    {
        var (client, userId) = await _factory.CreateUserClientAsync();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            Forge(userId, ApiFactory.SigningKey, issuedAt: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddSeconds(-5)));

        var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative), Cancel);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("expired", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAcceptedTokenIsRejectedOnceItExpires()
    {
        // Accepted tokens are remembered until they expire: the remembered answer must end with the token.
        var (client, userId) = await _factory.CreateUserClientAsync();
        var token = Forge(userId, ApiFactory.SigningKey, issuedAt: DateTime.UtcNow.AddMinutes(-1), expires: DateTime.UtcNow.AddSeconds(3));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var expiresAt = new JsonWebToken(token).ValidTo;

        var first = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative), Cancel);
        var again = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative), Cancel);
        // Real time has to pass here: IdentityModel checks lifetimes against the system clock.
        await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (expiresAt - DateTime.UtcNow + TimeSpan.FromMilliseconds(200)).Ticks)), Cancel);
        var expired = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var problem = await ProblemAssert.IsProblemAsync(expired, HttpStatusCode.Unauthorized);
        Assert.Contains("expired", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAcceptedTokenWithItsPayloadChangedIsRejected()
    {
        var (client, _) = await _factory.CreateUserClientAsync();
        var (other, otherId) = await _factory.CreateUserClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative), Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(new Uri("/api/v1/me", UriKind.Relative), Cancel)).StatusCode);

        // The first user's header and signature around a payload naming the other user: both parts are known-good.
        var parts = client.DefaultRequestHeaders.Authorization!.Parameter!.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]);
        var ownId = new JsonWebToken(client.DefaultRequestHeaders.Authorization.Parameter).Subject;
        var swapped = $"{parts[0]}.{Base64UrlEncoder.Encode(payload.Replace(ownId, otherId.ToString(), StringComparison.Ordinal))}.{parts[2]}";
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", swapped);

        var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative), Cancel);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ATokenSignedWithAnotherKeyIsRejected()
    {
        var (client, userId) = await _factory.CreateUserClientAsync();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            Forge(userId, "an-attacker-key-that-is-long-enough-0123456789", DateTime.UtcNow, DateTime.UtcNow.AddHours(1)));

        var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative), Cancel);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ATamperedTokenIsRejected()
    {
        var (client, _) = await _factory.CreateUserClientAsync();
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
        var parts = token.Split('.');
        var otherUser = Base64UrlEncoder.Encode($$"""{"sub":"{{Guid.NewGuid()}}","iss":"learnapp","aud":"learnapp","exp":4102444800}""");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", $"{parts[0]}.{otherUser}.{parts[2]}");

        var response = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative), Cancel);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task LoginIsRateLimitedPerClient()
    {
        await using var strict = ApiFactory.ForPostgres(await postgres.CreateDatabaseAsync("ratelimit"), ("Auth:LoginAttemptsPerMinute", "3"));
        await strict.MigrateAsync();
        using var client = strict.CreateClient();
        var attempt = new { email = "nobody@example.com", password = "whatever1" };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/v1/auth/login", attempt, Cancel)).StatusCode);
        }
        var limited = await client.PostAsJsonAsync("/api/v1/auth/login", attempt, Cancel);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        await ProblemAssert.IsProblemAsync(limited, HttpStatusCode.TooManyRequests);
    }

    private static string Forge(Guid userId, string key, DateTime issuedAt, DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "learnapp",
        Audience = "learnapp",
        IssuedAt = issuedAt,
        NotBefore = issuedAt,
        Expires = expires,
        Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, userId.ToString())]),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
    });

    private sealed record LoginBody(string AccessToken, DateTime ExpiresAt);

    private sealed record MeBody(Guid UserId, string Email, string DisplayName, int Xp, int StreakDays);
}
