using LearnApp.Hosting.ApplicationModel;

namespace LearnApp.Hosting.Tests.ApplicationModel;

public sealed class ParameterTests
{
    [Fact]
    public void AParameterTakesItsValueFromConfigurationParameters()
    {
        var builder = TestAppHost.CreateBuilder("--Parameters:jwt-key=configured-key");

        var jwtKey = builder.AddParameter("jwt-key", secret: true);

        Assert.Equal("configured-key", jwtKey.Resource.Value);
        Assert.True(jwtKey.Resource.Secret);
        Assert.Equal("{jwt-key.value}", jwtKey.Resource.ValueExpression);
    }

    [Fact]
    public void AMissingParameterIsGeneratedOnceAndKeptForTheNextRun()
    {
        var directory = TestAppHost.CreateDirectory();
        var first = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { ProjectDirectory = directory }).AddParameter("jwt-key", secret: true);
        var second = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { ProjectDirectory = directory }).AddParameter("jwt-key", secret: true);

        var generated = first.Resource.Value;

        Assert.True(generated.Length >= 32, "a JWT signing key needs at least 256 bits");
        Assert.Equal(generated, second.Resource.Value);
        var store = Path.Combine(directory, ".local", "parameters.json");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store));
        }
    }

    [Fact]
    public void AnEmptyConfiguredParameterIsRejectedWithItsNameAndTheFix()
    {
        var builder = TestAppHost.CreateBuilder("--Parameters:jwt-key=");
        var jwtKey = builder.AddParameter("jwt-key", secret: true);

        var error = Assert.Throws<MissingParameterValueException>(() => jwtKey.Resource.Value);

        Assert.Contains("'jwt-key'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Parameters:jwt-key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InPublishModeAMissingParameterIsNotGenerated()
    {
        var builder = TestAppHost.CreateBuilder("--publisher", "manifest");
        var jwtKey = builder.AddParameter("jwt-key", secret: true);

        Assert.Throws<MissingParameterValueException>(() => jwtKey.Resource.Value);
        Assert.False(File.Exists(Path.Combine(builder.AppHostDirectory, ".local", "parameters.json")));
    }

    [Fact]
    public void ServerPasswordsAreGeneratedParametersNamedAfterTheirServer()
    {
        var builder = TestAppHost.CreateBuilder();
        var postgres = builder.AddPostgres("postgres");
        var cache = builder.AddRedis("cache");

        Assert.Equal("postgres-password", postgres.Resource.PasswordParameter.Name);
        Assert.Equal("cache-password", cache.Resource.PasswordParameter.Name);
        Assert.Equal(22, Assert.IsType<GenerateParameterDefault>(postgres.Resource.PasswordParameter.Default).MinLength);
        Assert.False(Assert.IsType<GenerateParameterDefault>(cache.Resource.PasswordParameter.Default).Special);
        Assert.DoesNotMatch("[^A-Za-z0-9]", cache.Resource.PasswordParameter.Value);
    }
}
