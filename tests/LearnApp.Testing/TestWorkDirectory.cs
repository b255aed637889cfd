using System.Globalization;

namespace LearnApp.Testing;

/// <summary>
/// Throwaway folders under one root, named after the test process that owns them. Folders whose owner is gone
/// (a run that was killed) are removed the next time a fixture starts.
/// </summary>
public static class TestWorkDirectory
{
    public static string Root { get; } = Path.Combine(Path.GetTempPath(), "learnapp-tests");

    public static string Create(string purpose)
    {
        Directory.CreateDirectory(Root);
        RemoveAbandoned();
        var path = Path.Combine(Root, $"{Environment.ProcessId}-{purpose}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A server may still be flushing; the next run removes what is left.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void RemoveAbandoned()
    {
        foreach (var directory in Directory.GetDirectories(Root))
        {
            var name = Path.GetFileName(directory);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0
                && int.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ownerPid)
                && !Directory.Exists($"/proc/{ownerPid}"))
            {
                Delete(directory);
            }
        }
    }
}
