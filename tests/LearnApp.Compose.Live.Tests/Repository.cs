namespace LearnApp.Compose.Live.Tests;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string ComposeDirectory => Path.Combine(Root, "deploy", "compose");

    public static string BaseImagesScript => Path.Combine(Root, "deploy", "images", "build-base-images.sh");

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
}
