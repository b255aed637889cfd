using LearnApp.Data;
using LearnApp.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LearnApp.Api.Auth;

internal static class AuthApi
{
    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/auth").WithTags("Auth");

        group.MapPost("/register", RegisterAsync)
            .WithName("Register")
            .WithSummary("Creates an account and signs it in.");
        group.MapPost("/login", LoginAsync)
            .RequireRateLimiting(AuthServiceExtensions.LoginRateLimitPolicy)
            .WithName("Login")
            .WithSummary("Exchanges email and password for an access token.");

        return group;
    }

    public static RouteGroupBuilder MapMe(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/me").WithTags("Auth").RequireAuthorization();
        group.MapGet("/", GetMeAsync).WithName("GetMe").WithSummary("The signed-in user's profile, XP and streak.");
        return group;
    }

    private static async Task<Results<Created<RegisterResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request,
        LearnAppDbContext db,
        IPasswordHasher<User> hasher,
        TokenIssuer tokens,
        IOptions<AuthOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var email = request.Email?.Trim() ?? string.Empty;
        if (email.Length is 0 or > 256 || !email.Contains('@', StringComparison.Ordinal) || email.StartsWith('@') || email.EndsWith('@'))
        {
            errors["email"] = ["A valid email address is required."];
        }
        if ((request.Password?.Length ?? 0) < options.Value.MinPasswordLength || request.Password!.Length > 256)
        {
            errors["password"] = [$"The password needs {options.Value.MinPasswordLength} to 256 characters."];
        }
        var displayName = request.DisplayName?.Trim() ?? string.Empty;
        if (displayName.Length is 0 or > 100)
        {
            errors["displayName"] = ["A display name of 1 to 100 characters is required."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var normalizedEmail = email.ToUpperInvariant();
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken))
        {
            return EmailTaken();
        }

        var user = new User
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            NormalizedEmail = normalizedEmail,
            DisplayName = displayName,
            PasswordHash = string.Empty,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = hasher.HashPassword(user, request.Password!);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // Two registrations raced for the same address; the unique index let one through.
            return EmailTaken();
        }

        var (token, _) = tokens.Issue(user);
        return TypedResults.Created("/api/v1/me", new RegisterResponse(user.Id, token));

        static ProblemHttpResult EmailTaken() => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Email already registered", detail: "An account with this email address exists; log in instead.");
    }

    private static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> LoginAsync(
        LoginRequest request,
        LearnAppDbContext db,
        IPasswordHasher<User> hasher,
        TokenIssuer tokens,
        CancellationToken cancellationToken)
    {
        var normalizedEmail = request.Email?.Trim().ToUpperInvariant() ?? string.Empty;
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        var verdict = user is null || string.IsNullOrEmpty(request.Password)
            ? PasswordVerificationResult.Failed
            : hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Login failed",
                detail: "The email or the password is wrong.");
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, request.Password!);
            await db.SaveChangesAsync(cancellationToken);
        }

        var (token, expiresAt) = tokens.Issue(user);
        return TypedResults.Ok(new LoginResponse(token, expiresAt));
    }

    private static async Task<Results<Ok<MeResponse>, NotFound>> GetMeAsync(
        System.Security.Claims.ClaimsPrincipal principal, LearnAppDbContext db, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var me = await MeQuery.ReadAsync(db, userId, cancellationToken);
        return me is null ? TypedResults.NotFound() : TypedResults.Ok(me);
    }
}

public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName);

public sealed record RegisterResponse(Guid UserId, string AccessToken);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record LoginResponse(string AccessToken, DateTime ExpiresAt);

public sealed record MeResponse(Guid UserId, string Email, string DisplayName, int Xp, int StreakDays);
