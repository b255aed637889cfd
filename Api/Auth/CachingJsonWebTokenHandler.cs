using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LearnApp.Api.Auth;

/// <summary>
/// Validates each distinct access token once, then answers from a bounded cache until the token expires. A client
/// sends the same token with every call for its whole lifetime, and full validation (parse, HMAC, claims) was a tenth
/// of the Api's CPU per GET /study/due in perf. Only valid tokens are cached, keyed by the whole token string, so a
/// tampered token is a different key and is validated in full; a hit is re-checked against the clock and the key.
/// </summary>
internal sealed class CachingJsonWebTokenHandler : JsonWebTokenHandler
{
    /// <summary>Distinct live tokens kept; past it, expired ones are dropped, and if none were, all are.</summary>
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, ValidatedToken> _validated = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(validationParameters);
        // IdentityModel's lifetime check reads this clock, so a cached token expires when a validated one would.
        var now = DateTime.UtcNow;
        if (_validated.TryGetValue(token, out var cached) && cached.Matches(validationParameters) && now < cached.ValidTo)
        {
            return new TokenValidationResult
            {
                IsValid = true,
                SecurityToken = cached.Token,
                TokenType = cached.TokenType,
                Issuer = cached.Token.Issuer,
                // A copy per request: nothing one request adds to its identity may reach another's.
                ClaimsIdentity = cached.Identity.Clone(),
            };
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result is { IsValid: true, SecurityToken: JsonWebToken jwt, ClaimsIdentity: { } identity } && jwt.ValidTo > now)
        {
            MakeRoom(now);
            _validated[token] = new ValidatedToken(jwt, result.TokenType, identity.Clone(), jwt.ValidTo, validationParameters);
        }
        return result;
    }

    private void MakeRoom(DateTime now)
    {
        if (_validated.Count < Capacity)
        {
            return;
        }
        foreach (var (key, entry) in _validated)
        {
            if (entry.ValidTo <= now)
            {
                _validated.TryRemove(key, out _);
            }
        }
        if (_validated.Count >= Capacity)
        {
            _validated.Clear();
        }
    }

    private sealed record ValidatedToken(JsonWebToken Token, string TokenType, ClaimsIdentity Identity, DateTime ValidTo, TokenValidationParameters Parameters)
    {
        // JwtBearer hands over a fresh copy of its parameters per request, so compare what decides validity.
        public bool Matches(TokenValidationParameters other) =>
            ReferenceEquals(Parameters.IssuerSigningKey, other.IssuerSigningKey)
            && Parameters.ValidIssuer == other.ValidIssuer
            && Parameters.ValidAudience == other.ValidAudience;
    }
}
