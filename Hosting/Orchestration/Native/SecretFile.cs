namespace LearnApp.Hosting.Orchestration.Native;

internal static class SecretFile
{
    /// <summary>Writes a file only its owner can read, for passwords handed to a server.</summary>
    public static void Write(string path, string contents)
    {
        // Create it empty and restrict it first, so the secret is never readable by others, not even briefly.
        File.WriteAllText(path, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(path, contents);
    }
}
