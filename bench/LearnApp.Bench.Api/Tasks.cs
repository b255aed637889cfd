using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace LearnApp.Bench.Api;

internal static class Tasks
{
    /// <summary>For each review: the time from its response until /me shows the XP the award_xp task added.</summary>
    public static async Task<List<double>> LightLatenciesAsync(HttpClient client, int firstCard, int count)
    {
        var latencies = new List<double>(count);
        var xp = (await client.GetFromJsonAsync<Me>("/api/v1/me"))!.Xp;
        for (var i = 0; i < count; i++)
        {
            // A failed review awards nothing, so /me would "show" it at once: a failure must stop the run, not count as fast.
            using var response = await client.PostAsJsonAsync("/api/v1/study/reviews", new { cardId = firstCard + (i % 50), grade = 5 });
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"review {i + 1} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            var review = await response.Content.ReadFromJsonAsync<Review>();
            var start = Stopwatch.GetTimestamp();
            xp += review!.XpAwarded;
            while ((await client.GetFromJsonAsync<Me>("/api/v1/me"))!.Xp < xp)
            {
            }
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return latencies;
    }

    /// <summary>
    /// The server's side of the light figure, from the jobs table: each award_xp job of <paramref name="userId"/>
    /// created since <paramref name="since"/>, createdAt (stamped before the review's write) to finishedAt (stamped
    /// as its completion is sent). The rest of the light figure is the completion's round trip and the /me polls.
    /// </summary>
    public static async Task<List<double>> LightJobTimesAsync(string connectionString, Guid userId, DateTime since)
    {
        // Unpooled: a backend left open for the bench would count in PostgreSQL's PSS after load.
        await using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT EXTRACT(EPOCH FROM (\"FinishedAt\" - \"CreatedAt\")) * 1000 FROM \"jobs\" "
            + "WHERE \"UserId\" = $1 AND \"Type\" = 'award_xp' AND \"CreatedAt\" >= $2 AND \"FinishedAt\" IS NOT NULL", connection)
        {
            Parameters = { new() { Value = userId }, new() { Value = since } },
        };
        var times = new List<double>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            times.Add((double)reader.GetDecimal(0));
        }
        return times;
    }

    /// <summary>
    /// Speaking attempts one at a time, so each job meets an idle path: its createdAt to finishedAt as the jobs
    /// table records it (the route's own latency, not time spent waiting behind other jobs).
    /// </summary>
    /// <remarks>
    /// The figure comes from the row, so how often the bench looks does not change it, only how much CPU the looking
    /// takes from the path measured: polling every 2 ms cost each Api ~1,850 µs per job on two shared cores. The first
    /// look is after <see cref="s_heavyPoll"/> (p50 is below it), then every <see cref="s_heavyPoll"/>.
    /// </remarks>
    public static async Task<(List<double> Latencies, List<double> ToStart, List<double> Running, string Route)> HeavyLatenciesAsync(HttpClient client, int firstCard, int count)
    {
        var finished = new List<Job>(count);
        for (var i = 0; i < count; i++)
        {
            var jobId = await PostAttemptAsync(client, firstCard, s_wav);
            await Task.Delay(s_heavyPoll);
            finished.Add(await WaitFinishedAsync(client, jobId, s_heavyPoll));
        }
        // Split at startedAt (the claim): created -> started is the upload's write, the dispatch and the claim;
        // started -> finished is reading the attempt, the analysis and the completion.
        return ([.. finished.Select(j => (j.FinishedAt!.Value - j.CreatedAt).TotalMilliseconds)],
            [.. finished.Select(j => (j.StartedAt!.Value - j.CreatedAt).TotalMilliseconds)],
            [.. finished.Select(j => (j.FinishedAt!.Value - j.StartedAt!.Value).TotalMilliseconds)],
            Route(finished));
    }

    /// <summary>A burst of speaking attempts from every client at once: how many jobs per second the route drains.</summary>
    public static async Task<(List<double> Latencies, TimeSpan Span, string Route)> HeavyBurstAsync(List<HttpClient> clients, int firstCard, int count)
    {
        var wav = s_wav;
        var jobs = new System.Collections.Concurrent.ConcurrentBag<(HttpClient Client, Guid JobId)>();
        var next = -1;
        await Task.WhenAll(clients.Select(client => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                jobs.Add((client, await PostAttemptAsync(client, firstCard, wav)));
            }
        })));

        var finished = new List<Job>();
        foreach (var (client, jobId) in jobs)
        {
            finished.Add(await WaitFinishedAsync(client, jobId, TimeSpan.FromMilliseconds(10)));
        }

        var span = finished.Max(j => j.FinishedAt!.Value) - finished.Min(j => j.CreatedAt);
        return ([.. finished.Select(j => (j.FinishedAt!.Value - j.CreatedAt).TotalMilliseconds)], span, Route(finished));
    }

    private static readonly byte[] s_wav = ToneWav(0.5, 8_000);
    private static readonly TimeSpan s_heavyPoll = TimeSpan.FromMilliseconds(10);

    private static async Task<Guid> PostAttemptAsync(HttpClient client, int cardId, byte[] wav)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(cardId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "cardId");
        var audio = new ByteArrayContent(wav);
        audio.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(audio, "audio", "a.wav");
        using var response = await client.PostAsync(new Uri("/api/v1/speaking/attempts", UriKind.Relative), form);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Accepted>())!.JobId;
    }

    private static async Task<Job> WaitFinishedAsync(HttpClient client, Guid jobId, TimeSpan pollInterval)
    {
        while (true)
        {
            var job = (await client.GetFromJsonAsync<Job>($"/api/v1/jobs/{jobId}"))!;
            if (job.Status is "succeeded" or "failed")
            {
                return job;
            }
            await Task.Delay(pollInterval);
        }
    }

    /// <summary>Who ran the jobs (worker or Api process names, with counts) and how many failed.</summary>
    private static string Route(List<Job> finished)
    {
        var route = string.Join(",", finished.GroupBy(j => j.ExecutedBy?.Split(':')[0] ?? "?").Select(g => $"{g.Key} x{g.Count()}"));
        var failed = finished.Count(j => j.Status == "failed");
        return failed > 0 ? $"{route}, {failed} failed" : route;
    }

    private static byte[] ToneWav(double seconds, int rate)
    {
        var samples = (int)(seconds * rate);
        var file = new byte[44 + (samples * 2)];
        "RIFF"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(file.Length - 8));
        "WAVEfmt "u8.CopyTo(file.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(22), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(24), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(28), (uint)(rate * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(32), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(34), 16);
        "data"u8.CopyTo(file.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(40), (uint)(samples * 2));
        for (var i = 0; i < samples; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(44 + (i * 2)), (short)(12_000 * Math.Sin(2 * Math.PI * 180 * i / rate)));
        }
        return file;
    }

    private sealed record Me(int Xp);

    private sealed record Review(int XpAwarded);

    private sealed record Accepted(Guid JobId);

    private sealed record Job(string Status, DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, string? ExecutedBy);
}
