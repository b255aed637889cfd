using System.ComponentModel.DataAnnotations;

namespace LearnApp.Api.Auth;

public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Login attempts allowed per client address per minute.</summary>
    [Range(1, 10_000)]
    public int LoginAttemptsPerMinute { get; set; } = 10;

    [Range(8, 128)]
    public int MinPasswordLength { get; set; } = 8;
}
