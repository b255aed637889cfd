using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting.Orchestration;

/// <summary>Keeps secret parameter values out of snapshots (and so out of the console and the dashboard).</summary>
internal static class SecretValues
{
    public const string Masked = "********";

    public static IReadOnlyCollection<string> Collect(DistributedApplicationModel model, OrchestratorOptions? options = null)
    {
        var values = new List<string>();
        // The OTLP API key reaches every service in OTEL_EXPORTER_OTLP_HEADERS; it opens the dashboard's receiver.
        if (options?.OtlpApiKey is { Length: > 0 } otlpApiKey)
        {
            values.Add(otlpApiKey);
        }
        foreach (var parameter in model.Resources.OfType<ParameterResource>().Where(p => p.Secret))
        {
            try
            {
                values.Add(parameter.Value);
            }
            catch (MissingParameterValueException)
            {
                // Nothing to hide; whoever needs it fails with the parameter's own message.
            }
        }
        return values;
    }

    public static string Mask(string value, IReadOnlyCollection<string> secrets) =>
        secrets.Where(s => s.Length > 0).Aggregate(value, (masked, secret) => masked.Replace(secret, Masked, StringComparison.Ordinal));
}
