using System.Text.Json;

namespace LearnApp.Hosting;

/// <summary>
/// Generated parameter values, kept in a JSON file only the owner can read, in the AppHost's git-ignored
/// <c>.local/</c> folder, so a generated database password still opens the database on the next run.
/// </summary>
internal sealed class LocalParameterStore(string path)
{
    private static readonly Lock s_lock = new();
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public string GetOrAdd(string name, Func<string> generate)
    {
        lock (s_lock)
        {
            var values = Read();
            if (values.TryGetValue(name, out var existing) && !string.IsNullOrEmpty(existing))
            {
                return existing;
            }
            var value = generate();
            values[name] = value;
            Write(values);
            return value;
        }
    }

    private Dictionary<string, string> Read()
    {
        if (!File.Exists(path))
        {
            return new(StringComparer.Ordinal);
        }
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? new(StringComparer.Ordinal);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The local parameter store '{path}' is not valid JSON ({ex.Message}): fix or delete it.", ex);
        }
    }

    private void Write(Dictionary<string, string> values)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(temporary, JsonSerializer.Serialize(values, s_json));
        File.Move(temporary, path, overwrite: true);
    }
}
