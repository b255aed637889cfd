namespace LearnApp.Hosting.Publishing.Deployment;

/// <summary>
/// A manifest value resolved for a deployment target: literal text and references to parameters, which each target
/// writes its own way (compose <c>${JWT_KEY}</c>, Kubernetes <c>$(JWT_KEY)</c> from a Secret). Never holds a secret.
/// </summary>
public sealed record DeploymentValue(IReadOnlyList<DeploymentValuePart> Parts)
{
    public static DeploymentValue Literal(string text) => new([new LiteralPart(text)]);

    public bool HasParameters => Parts.Any(p => p is ParameterPart);

    public IEnumerable<ParameterPart> Parameters => Parts.OfType<ParameterPart>();

    /// <summary>The whole value when it is plain text; null when it refers to a parameter.</summary>
    public string? LiteralText => HasParameters ? null : string.Concat(Parts.Cast<LiteralPart>().Select(p => p.Text));

    public string Render(Func<ParameterPart, string> parameter, Func<string, string> literal) =>
        string.Concat(Parts.Select(part => part switch
        {
            LiteralPart text => literal(text.Text),
            ParameterPart reference => parameter(reference),
            _ => throw new InvalidOperationException($"Unknown value part {part.GetType().Name}."),
        }));
}

public abstract record DeploymentValuePart;

public sealed record LiteralPart(string Text) : DeploymentValuePart;

/// <summary>A parameter's value. <see cref="VariableName"/> is its environment variable name: <c>jwt-key</c> → <c>JWT_KEY</c>.</summary>
public sealed record ParameterPart(DeploymentParameter Parameter) : DeploymentValuePart
{
    public string VariableName => Parameter.VariableName;
}
