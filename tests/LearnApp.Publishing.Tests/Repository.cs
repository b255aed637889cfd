namespace LearnApp.Publishing.Tests;

/// <summary>Paths in the repository and in the shared schema folder next to it.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string SchemasDirectory { get; } = FindSchemas();

    public static string AspireSchema => Path.Combine(SchemasDirectory, "aspire-8.0.json");

    public static string ComposeSchema => Path.Combine(SchemasDirectory, "compose-spec.json");

    public static string KubernetesSchemas => Path.Combine(SchemasDirectory, "kubernetes", "v1.32.0-standalone-strict");

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>A fresh folder under the test run's temp folder.</summary>
    public static string CreateTempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "learnapp-publishing-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LearnApp.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("LearnApp.sln not found above the test assembly.");
    }

    // The schemas live in the shared folder beside the worktrees (../shared/schemas); LEARNAPP_SCHEMAS overrides.
    private static string FindSchemas()
    {
        if (Environment.GetEnvironmentVariable("LEARNAPP_SCHEMAS") is { Length: > 0 } configured)
        {
            return configured;
        }
        for (var directory = new DirectoryInfo(Root); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "schemas");
            if (File.Exists(Path.Combine(candidate, "aspire-8.0.json")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("shared/schemas/aspire-8.0.json not found above the repository: set LEARNAPP_SCHEMAS.");
    }
}
