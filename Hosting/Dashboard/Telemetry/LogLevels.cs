namespace LearnApp.Hosting.Dashboard.Telemetry;

/// <summary>OTLP severity numbers (1-24, four per level) as the .NET log level names.</summary>
public static class LogLevels
{
    public static readonly IReadOnlyList<string> Names = ["Trace", "Debug", "Information", "Warning", "Error", "Critical"];

    public static string FromSeverityNumber(int severityNumber) => severityNumber switch
    {
        <= 0 => "Unspecified",
        <= 4 => "Trace",
        <= 8 => "Debug",
        <= 12 => "Information",
        <= 16 => "Warning",
        <= 20 => "Error",
        _ => "Critical",
    };

    /// <summary>The lowest severity number of a level name (<c>Warning</c> is 13); an unknown name is an error.</summary>
    public static int MinimumSeverity(string level)
    {
        var index = Names.ToList().FindIndex(n => n.Equals(level, StringComparison.OrdinalIgnoreCase));
        return index < 0
            ? throw new ArgumentException($"'{level}' is not a log level ({string.Join(", ", Names)}).", nameof(level))
            : index * 4 + 1;
    }
}
