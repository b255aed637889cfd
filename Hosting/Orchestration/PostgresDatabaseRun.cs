using LearnApp.Hosting.ApplicationModel;
using Npgsql;

namespace LearnApp.Hosting.Orchestration;

/// <summary>A database resource: once its server is healthy, creates the database if it is missing.</summary>
internal sealed class PostgresDatabaseRun(PostgresDatabaseResource database, OrchestrationContext context)
    : ResourceRun(database, context, "PostgresDatabase")
{
    public override void AllocateEndpoints(PortAllocator ports)
    {
    }

    public override string? CommandsUnsupportedReason =>
        $"a database has no process of its own; stop, start or restart its server '{database.Parent.Name}'";

    protected override async Task StartAsync(CancellationToken stopping)
    {
        var server = database.Parent.Name;
        PublishAll(s => s with { State = KnownResourceStates.Waiting });
        await foreach (var _ in Context.Notifications.WatchAsync(stopping))
        {
            var instance = Context.Notifications.GetInstances(server).Single();
            if (ResourceNotificationService.IsRunningAndHealthy(instance))
            {
                break;
            }
            if (KnownResourceStates.IsTerminal(instance.State))
            {
                throw new ResourceStartException($"its server '{server}' is {instance.State}: fix '{server}' first");
            }
        }

        PublishAll(s => s with { State = KnownResourceStates.Starting });
        var serverConnection = await database.Parent.ConnectionStringExpression.GetValueAsync(stopping);
        await using (var connection = new NpgsqlConnection(serverConnection + ";Database=postgres;Pooling=false"))
        {
            await connection.OpenAsync(stopping);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", database.DatabaseName);
            if (await exists.ExecuteScalarAsync(stopping) is null)
            {
                var quoted = "\"" + database.DatabaseName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
                await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
                await create.ExecuteNonQueryAsync(stopping);
                Context.Logs.Write(Instances[0].InstanceId, $"created database {database.DatabaseName}", isError: false);
            }
        }
        PublishAll(s => Healthy(s) with { StartTimestamp = DateTimeOffset.UtcNow, Source = $"database in '{server}'" });
    }

    public override Task StopAsync(TimeSpan timeout)
    {
        PublishAll(s => KnownResourceStates.IsTerminal(s.State) ? s : s with
        {
            State = KnownResourceStates.Finished,
            HealthStatus = null,
            StopTimestamp = DateTimeOffset.UtcNow,
        });
        return Task.CompletedTask;
    }
}
