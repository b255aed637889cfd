using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LearnApp.Data;

/// <summary>
/// Whether a SQLite connection's commits wait for the disk, set on every open: requests' commits wait (<see
/// cref="Waiting"/>, SQLite's default, <c>synchronous=FULL</c>); background work's need not (<see cref="NotWaiting"/>,
/// <c>NORMAL</c>), as PostgreSQL's background pools commit with <c>synchronous_commit=off</c> and for the same reason
/// (see AddLearnAppData): a lost job commit is a job the sweeper runs again. In WAL mode (the migrator sets it) such a
/// commit survives an application crash and never leaves the database corrupt; only a power loss or an OS crash can
/// take it back, and the next commit that waits writes it down as well. Both pools draw on Microsoft.Data.Sqlite's one
/// pool of connections for the file, so each open says which it is.
/// </summary>
public sealed class SqliteCommitMode : DbConnectionInterceptor
{
    private readonly string _pragma;

    private SqliteCommitMode(string pragma) => _pragma = pragma;

    public static SqliteCommitMode Waiting { get; } = new("PRAGMA synchronous = FULL");

    public static SqliteCommitMode NotWaiting { get; } = new("PRAGMA synchronous = NORMAL");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    // The handle's own exec: a setting, not a query, so no command, parameters or EF logging.
    private void Apply(DbConnection connection)
    {
        var handle = ((SqliteConnection)connection).Handle;
        SqliteException.ThrowExceptionForRC(SQLitePCL.raw.sqlite3_exec(handle, _pragma), handle);
    }
}
