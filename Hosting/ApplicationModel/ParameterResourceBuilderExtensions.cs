using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting;

public static class ParameterResourceBuilderExtensions
{
    /// <summary>
    /// Adds a parameter whose value comes from configuration <c>Parameters:&lt;name&gt;</c> (user secrets, appsettings,
    /// environment <c>Parameters__&lt;name&gt;</c>). In run mode a missing value is generated once and kept in the
    /// AppHost's git-ignored local state, so it stays the same across runs.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddParameter(this IDistributedApplicationBuilder builder, string name, bool secret = false) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 64, Special = false }, secret, publishDefault: false);

    /// <summary>Adds a parameter with a fixed value (configuration <c>Parameters:&lt;name&gt;</c> still overrides it).</summary>
    public static IResourceBuilder<ParameterResource> AddParameter(
        this IDistributedApplicationBuilder builder, string name, string value, bool publishValueAsDefault = false, bool secret = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(value);
        var parameter = new ParameterResource(name, _ => ReadConfigured(builder, name) ?? value, secret);
        if (publishValueAsDefault)
        {
            parameter.Default = new ConstantParameterDefault(value);
        }
        return builder.AddResource(parameter);
    }

    /// <summary>Adds a parameter whose missing value is produced by <paramref name="value"/> (written to a manifest as its default).</summary>
    public static IResourceBuilder<ParameterResource> AddParameter(
        this IDistributedApplicationBuilder builder, string name, ParameterDefault value, bool secret = false) =>
        builder.AddParameter(name, value, secret, publishDefault: true);

    private static IResourceBuilder<ParameterResource> AddParameter(
        this IDistributedApplicationBuilder builder, string name, ParameterDefault generator, bool secret, bool publishDefault)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var executionContext = builder.ExecutionContext;
        var localState = builder is DistributedApplicationBuilder concrete ? concrete.LocalStateDirectory : Path.Combine(builder.AppHostDirectory, ".local");
        var store = new LocalParameterStore(Path.Combine(localState, "parameters.json"));
        var parameter = new ParameterResource(name, _ =>
        {
            if (ReadConfigured(builder, name) is { } configured)
            {
                return configured;
            }
            if (!executionContext.IsRunMode)
            {
                throw new MissingParameterValueException(
                    $"Parameter '{name}' has no value: set configuration 'Parameters:{name}'.");
            }
            return store.GetOrAdd(name, generator.GetDefaultValue);
        }, secret);
        if (publishDefault)
        {
            parameter.Default = generator;
        }
        return builder.AddResource(parameter);
    }

    private static string? ReadConfigured(IDistributedApplicationBuilder builder, string name)
    {
        var key = $"Parameters:{name}";
        var value = builder.Configuration[key];
        if (value is null)
        {
            return null;
        }
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new MissingParameterValueException(
                $"Parameter '{name}' is empty: set configuration '{key}' to a value, or remove it to have one generated.");
        }
        return value;
    }
}

/// <summary>A fixed default value (Aspire's <c>ConstantParameterDefault</c>).</summary>
public sealed class ConstantParameterDefault(string value) : ParameterDefault
{
    public string Value { get; } = value;

    public override string GetDefaultValue() => Value;
}
