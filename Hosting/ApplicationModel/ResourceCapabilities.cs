namespace LearnApp.Hosting.ApplicationModel;

// Capabilities are interfaces, as in Aspire: builder extensions constrain on them, the orchestrator asks for them.

/// <summary>A resource that receives environment variables.</summary>
public interface IResourceWithEnvironment : IResource;

/// <summary>A resource that receives command-line arguments.</summary>
public interface IResourceWithArgs : IResource;

/// <summary>A resource that listens on network endpoints.</summary>
public interface IResourceWithEndpoints : IResource;

/// <summary>A resource whose endpoints other resources find through <c>services__*</c> service discovery.</summary>
public interface IResourceWithServiceDiscovery : IResourceWithEndpoints;

/// <summary>A resource that can wait for other resources before it starts.</summary>
public interface IResourceWithWaitSupport : IResource;

/// <summary>A resource that lives inside another one (a database inside its server).</summary>
public interface IResourceWithParent : IResource
{
    IResource Parent { get; }
}

/// <summary>A resource that lives inside a resource of type <typeparamref name="T"/>.</summary>
public interface IResourceWithParent<out T> : IResourceWithParent where T : IResource
{
    new T Parent { get; }
}

/// <summary>A resource others connect to with a connection string, injected as <c>ConnectionStrings__&lt;name&gt;</c>.</summary>
public interface IResourceWithConnectionString : IResource, IManifestExpressionProvider, IValueProvider
{
    ReferenceExpression ConnectionStringExpression { get; }

    string IManifestExpressionProvider.ValueExpression => $"{{{Name}.connectionString}}";

    ValueTask<string?> IValueProvider.GetValueAsync(CancellationToken cancellationToken) =>
        ConnectionStringExpression.GetValueAsync(cancellationToken);
}
