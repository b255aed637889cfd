using System.Diagnostics;

namespace LearnApp.ServiceDefaults;

/// <summary>
/// The names under which LearnApp's own code emits spans and metrics. ServiceDefaults subscribes to both, so any
/// service that calls <c>AddServiceDefaults</c> exports what these produce.
/// </summary>
public static class LearnAppTelemetry
{
    public const string ActivitySourceName = "LearnApp";
    public const string MeterName = "LearnApp";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);
}
