namespace LearnApp.Hosting.ApplicationModel;

/// <summary>
/// An external value (<c>{jwt-key.value}</c> in a manifest). Run mode reads it from configuration
/// <c>Parameters:&lt;name&gt;</c>; a missing one is generated once and kept in the AppHost's local state.
/// </summary>
public sealed class ParameterResource(string name, Func<ParameterDefault?, string> valueGetter, bool secret = false)
    : Resource(name), IManifestExpressionProvider, IValueProvider
{
    private readonly Lazy<string> _value = new(() => valueGetter(null));

    public bool Secret { get; } = secret;

    /// <summary>What a deployer does when no value is given (the manifest's <c>inputs.value.default</c>).</summary>
    public ParameterDefault? Default { get; set; }

    /// <summary>The run-mode value; throws <see cref="MissingParameterValueException"/> when there is none.</summary>
    public string Value => _value.Value;

    public string ValueExpression => $"{{{Name}.value}}";

    public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(Value);
}

/// <summary>A parameter has no value and none could be generated, or the given one is invalid.</summary>
public sealed class MissingParameterValueException(string message) : Exception(message);

/// <summary>How a missing parameter value is produced.</summary>
public abstract class ParameterDefault
{
    public abstract string GetDefaultValue();
}

/// <summary>A random value (Aspire's <c>GenerateParameterDefault</c>: 22 characters from every class by default).</summary>
public sealed class GenerateParameterDefault : ParameterDefault
{
    public int MinLength { get; init; } = 22;

    public bool Lower { get; init; } = true;

    public bool Upper { get; init; } = true;

    public bool Numeric { get; init; } = true;

    public bool Special { get; init; } = true;

    public override string GetDefaultValue()
    {
        const string lower = "abcdefghijklmnopqrstuvwxyz", upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", digits = "0123456789";
        // No characters that need quoting in a connection string, a shell or a URL.
        const string special = "-_.~!*";
        var alphabet = (Lower ? lower : "") + (Upper ? upper : "") + (Numeric ? digits : "") + (Special ? special : "");
        if (alphabet.Length == 0)
        {
            throw new InvalidOperationException("A generated parameter needs at least one character class.");
        }
        return System.Security.Cryptography.RandomNumberGenerator.GetString(alphabet, MinLength);
    }
}
