using System.Globalization;
using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting.Orchestration;

/// <summary>
/// Where backing services keep data without a container runtime: a named volume is <c>.local/volumes/&lt;name&gt;</c>
/// and survives restarts; anything else lives in <c>.local/run/&lt;apphost pid&gt;-&lt;resource&gt;</c> and is removed at stop
/// (or at the next start, when the AppHost was killed).
/// </summary>
internal static class LocalStateFolders
{
    public static (string Path, bool Persistent) For(ContainerResource resource, string localStateDirectory)
    {
        var volume = resource.Annotations.OfType<ContainerMountAnnotation>().FirstOrDefault(m => m.Type == ContainerMountType.Volume && m.Source is not null);
        var path = volume is not null
            ? Path.Combine(localStateDirectory, "volumes", volume.Source!)
            : Path.Combine(localStateDirectory, "run", string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}-{resource.Name}"));
        Directory.CreateDirectory(path);
        return (path, volume is not null);
    }

    /// <summary>Removes run folders whose AppHost is gone.</summary>
    public static void RemoveAbandoned(string localStateDirectory)
    {
        var run = Path.Combine(localStateDirectory, "run");
        if (!Directory.Exists(run))
        {
            return;
        }
        foreach (var directory in Directory.GetDirectories(run))
        {
            var name = Path.GetFileName(directory);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var owner)
                && !Directory.Exists($"/proc/{owner}"))
            {
                Delete(directory);
            }
        }
    }

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next start's clean-up.
        }
    }

    /// <summary>A path relative to the AppHost folder when it is inside it, for short console lines.</summary>
    public static string Display(string path, string appHostDirectory)
    {
        var relative = Path.GetRelativePath(appHostDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : Path.Combine(Path.GetFileName(appHostDirectory), relative);
    }
}
