using LearnApp.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace LearnApp.Api.Tests.Data;

public sealed class ConnectionSettingsTests
{
    [Fact]
    public void ABareConnectionStringGetsPreparationNoResetMultiplexingAndAClientConnectionCheck()
    {
        var settings = new NpgsqlConnectionStringBuilder(LearnAppDataExtensions.WithLearnAppSettings("Host=db;Username=app;Password=secret"));

        Assert.Equal((64, 2, true), (settings.MaxAutoPrepare, settings.AutoPrepareMinUsages, settings.NoResetOnClose));
        Assert.True(settings.Multiplexing);
        Assert.Equal(LearnAppDataExtensions.RequestPoolSize, settings.MaxPoolSize);
        Assert.Equal("-c client_connection_check_interval=1000 -c lock_timeout=2000", settings.Options);
        Assert.Equal("secret", settings.Password);
    }

    [Fact]
    public void PoolsAreBoundedSoTheStackFitsInPostgresDefaultConnectionLimit()
    {
        var requests = new NpgsqlConnectionStringBuilder(LearnAppDataExtensions.WithLearnAppSettings("Host=db"));
        var background = new NpgsqlConnectionStringBuilder(LearnAppDataExtensions.WithLearnAppSettings("Host=db", requestPath: false));

        // Two Apis with both pools, a worker and the scheduler with one each, under PostgreSQL's default of 100
        // less its 3 reserved superuser connections.
        Assert.InRange(2 * (requests.MaxPoolSize + background.MaxPoolSize) + 2 * background.MaxPoolSize, 1, 97);
    }

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=50")]
    [InlineData("Host=db;MaxPoolSize=50")]
    [InlineData("Host=db;maxpoolsize=50")]
    public void APoolSizeTheConnectionStringChoosesIsKept(string connectionString)
    {
        Assert.Equal(50, new NpgsqlConnectionStringBuilder(LearnAppDataExtensions.WithLearnAppSettings(connectionString)).MaxPoolSize);
        Assert.Equal(50, new NpgsqlConnectionStringBuilder(LearnAppDataExtensions.WithLearnAppSettings(connectionString, requestPath: false)).MaxPoolSize);
    }

    [Fact]
    public void WhatTheConnectionStringChoosesIsKept()
    {
        var settings = new NpgsqlConnectionStringBuilder(LearnAppDataExtensions.WithLearnAppSettings(
            "Host=db;Max Auto Prepare=5;No Reset On Close=false;Multiplexing=false;Options=-c statement_timeout=5000"));
        var ownCheck = new NpgsqlConnectionStringBuilder(LearnAppDataExtensions.WithLearnAppSettings(
            "Host=db;Options=-c client_connection_check_interval=250 -c lock_timeout=100"));

        Assert.Equal((5, false, false), (settings.MaxAutoPrepare, settings.NoResetOnClose, settings.Multiplexing));
        Assert.Equal("-c statement_timeout=5000 -c client_connection_check_interval=1000 -c lock_timeout=2000", settings.Options);
        Assert.Equal("-c client_connection_check_interval=250 -c lock_timeout=100", ownCheck.Options);
    }

    [Fact]
    public async Task RequestsMultiplexAndBackgroundWorkGetsConnectionsOfItsOwn()
    {
        using var host = DataHost(multiplexRequests: true);
        await using var scope = host.Services.CreateAsyncScope();

        var requests = scope.ServiceProvider.GetRequiredService<LearnAppDbContext>();
        var background = scope.ServiceProvider.GetBackgroundDbContext();

        Assert.NotSame(requests, background);
        // One set of EF's internal services for both pools, not a second copy per process.
        Assert.Same(requests.GetService<ITypeMappingSource>(), background.GetService<ITypeMappingSource>());
        Assert.True(new NpgsqlConnectionStringBuilder(requests.Database.GetConnectionString()).Multiplexing);
        var backgroundSettings = new NpgsqlConnectionStringBuilder(background.Database.GetConnectionString());
        Assert.False(backgroundSettings.Multiplexing);
        Assert.Equal((64, true), (backgroundSettings.MaxAutoPrepare, backgroundSettings.NoResetOnClose));
        // A job may wait for a lock as long as it takes; a request gives up (see RequestLockTimeout).
        Assert.Equal("-c client_connection_check_interval=1000", backgroundSettings.Options);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OnlyBackgroundWorkCommitsWithoutWaitingForTheWalFlush(bool multiplexRequests)
    {
        using var host = DataHost(multiplexRequests, asynchronousBackgroundCommits: true);
        // A process that does not ask for it (the migrator) waits on every pool.
        using var waiting = DataHost(multiplexRequests: false);
        await using var scope = host.Services.CreateAsyncScope();
        await using var waitingScope = waiting.Services.CreateAsyncScope();

        string Options(LearnAppDbContext db) => new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).Options!;

        Assert.Contains("-c synchronous_commit=off", Options(scope.ServiceProvider.GetBackgroundDbContext()), StringComparison.Ordinal);
        // A process without requests has one pool: its background work is all it does.
        Assert.Equal(!multiplexRequests, Options(scope.ServiceProvider.GetRequiredService<LearnAppDbContext>()).Contains("synchronous_commit", StringComparison.Ordinal));
        Assert.DoesNotContain("synchronous_commit", Options(waitingScope.ServiceProvider.GetRequiredService<LearnAppDbContext>()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProcessWithoutRequestsHasOnePlainPoolForBothKeys()
    {
        using var host = DataHost(multiplexRequests: false);
        await using var scope = host.Services.CreateAsyncScope();

        var context = scope.ServiceProvider.GetRequiredService<LearnAppDbContext>();

        Assert.Same(context, scope.ServiceProvider.GetBackgroundDbContext());
        Assert.False(new NpgsqlConnectionStringBuilder(context.Database.GetConnectionString()).Multiplexing);
    }

    [Theory]
    [InlineData(true, 2, LearnAppDataExtensions.BackgroundPoolSize)]
    [InlineData(false, 8, LearnAppDataExtensions.BackgroundPoolSize)]
    [InlineData(false, 30, 32)]
    public async Task TheBackgroundPoolHoldsAConnectionForEveryConcurrentJob(bool multiplexRequests, int concurrentJobs, int poolSize)
    {
        using var host = DataHost(multiplexRequests, concurrentJobs);
        await using var scope = host.Services.CreateAsyncScope();

        var background = scope.ServiceProvider.GetBackgroundDbContext();

        Assert.Equal(poolSize, new NpgsqlConnectionStringBuilder(background.Database.GetConnectionString()).MaxPoolSize);
    }

    /// <summary>A host with only LearnApp's data services, on a PostgreSQL it never connects to.</summary>
    private static IHost DataHost(bool multiplexRequests, int concurrentJobs = 0, bool asynchronousBackgroundCommits = false)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:db"] = "Host=db;Username=app;Password=secret";
        builder.AddLearnAppData(multiplexRequests, concurrentJobs, asynchronousBackgroundCommits);
        return builder.Build();
    }
}
