using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace LearnApp.Api.Auth;

/// <summary>
/// The one signing key of this process: the configured <c>Jwt:SigningKey</c>, or in Development an ephemeral key
/// (tokens then die with the process). The key itself is never logged.
/// </summary>
internal sealed partial class SigningKeyProvider
{
    public const int MinimumKeyBytes = 32;

    public SigningKeyProvider(IOptions<JwtOptions> options, IHostEnvironment environment, ILogger<SigningKeyProvider> logger)
    {
        var configured = options.Value.SigningKey;
        if (!string.IsNullOrEmpty(configured))
        {
            Key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(configured));
            return;
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException("Jwt:SigningKey is not set (env Jwt__SigningKey); outside Development it is required.");
        }

        LogEphemeralKey(logger);
        Key = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(MinimumKeyBytes * 2));
    }

    public SymmetricSecurityKey Key { get; }

    [LoggerMessage(LogLevel.Warning, "Jwt:SigningKey is not set: using an ephemeral signing key generated for this process (Development only)")]
    private static partial void LogEphemeralKey(ILogger logger);
}
