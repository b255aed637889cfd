namespace LearnApp.Hosting;

public sealed class DistributedApplicationOptions
{
    public string[] Args { get; set; } = [];

    /// <summary>The AppHost project's folder; by default read from the entry assembly (set at build time).</summary>
    public string? ProjectDirectory { get; set; }

    /// <summary>The app's name, used in volume names; by default the entry assembly's name.</summary>
    public string? ApplicationName { get; set; }
}
