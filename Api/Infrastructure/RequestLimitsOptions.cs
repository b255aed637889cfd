using System.ComponentModel.DataAnnotations;

namespace LearnApp.Api.Infrastructure;

public sealed class RequestLimitsOptions
{
    public const string SectionName = "RequestLimits";

    /// <summary>Largest body any endpoint accepts unless it declares its own limit (the speaking upload does).</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 64 * 1024;
}
