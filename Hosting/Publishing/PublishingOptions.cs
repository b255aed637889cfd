using Microsoft.Extensions.Configuration;

namespace LearnApp.Hosting.Publishing;

/// <summary>What <c>--output-path</c> and <c>--manifest</c> say (configuration <c>Publishing:*</c>).</summary>
public sealed record PublishingOptions(string? OutputPath, string? ManifestPath)
{
    public static PublishingOptions FromConfiguration(IConfiguration configuration) =>
        new(Trimmed(configuration["Publishing:OutputPath"]), Trimmed(configuration["Publishing:Manifest"]));

    /// <summary>The output path made absolute against the current directory; a one-line error when missing.</summary>
    public string RequireOutputPath(string publisherName) => OutputPath is { } path
        ? Path.GetFullPath(path)
        : throw new PublishingException($"--output-path is required with --publisher {publisherName}");

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
