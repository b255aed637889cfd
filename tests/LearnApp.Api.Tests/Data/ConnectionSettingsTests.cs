using Microsoft.Extensions.Hosting;
using Npgsql;

namespace LearnApp.Api.Tests.Data;

public sealed class ConnectionSettingsTests
{
    [Fact]
    public void ABareConnectionStringGetsPreparationNoResetAndAClientConnectionCheck()
    {
        var settings = new NpgsqlConnectionStringBuilder(LearnAppDataExtensions.WithLearnAppSettings("Host=db;Username=app;Password=secret"));

        Assert.Equal((64, 2, true), (settings.MaxAutoPrepare, settings.AutoPrepareMinUsages, settings.NoResetOnClose));
        Assert.Equal("-c client_connection_check_interval=1000", settings.Options);
        Assert.Equal("secret", settings.Password);
    }

    [Fact]
    public void WhatTheConnectionStringChoosesIsKept()
    {
        var settings = new NpgsqlConnectionStringBuilder(LearnAppDataExtensions.WithLearnAppSettings(
            "Host=db;Max Auto Prepare=5;No Reset On Close=false;Options=-c statement_timeout=5000"));
        var ownCheck = new NpgsqlConnectionStringBuilder(LearnAppDataExtensions.WithLearnAppSettings(
            "Host=db;Options=-c client_connection_check_interval=250"));

        Assert.Equal((5, false), (settings.MaxAutoPrepare, settings.NoResetOnClose));
        Assert.Equal("-c statement_timeout=5000 -c client_connection_check_interval=1000", settings.Options);
        Assert.Equal("-c client_connection_check_interval=250", ownCheck.Options);
    }
}
