using LearnApp.Testing;

[assembly: AssemblyFixture(typeof(PostgresServerFixture))]
[assembly: AssemblyFixture(typeof(RedisServerFixture))]
