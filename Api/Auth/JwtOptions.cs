using System.ComponentModel.DataAnnotations;

namespace LearnApp.Api.Auth;

/// <summary>Access-token settings (<c>Jwt__SigningKey</c> comes from the AppHost's secret parameter <c>jwt-key</c>).</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    /// <summary>HMAC-SHA256 key, at least 32 bytes of UTF-8. In Development a missing key is generated per process.</summary>
    public string? SigningKey { get; set; }

    [Required]
    public string Issuer { get; set; } = "learnapp";

    [Required]
    public string Audience { get; set; } = "learnapp";

    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);
}
