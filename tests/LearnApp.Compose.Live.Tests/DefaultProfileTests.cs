using System.Net;

namespace LearnApp.Compose.Live.Tests;

/// <summary>The default profile (the simple set) of deploy/compose, driven through the frontend's nginx only.</summary>
public sealed class DefaultProfileTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_healthyTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task The_default_profile_serves_the_app_and_keeps_its_data_across_down_and_up()
    {
        LiveImages.SkipIfRequested();
        await using var stack = await ComposeStack.CreateAsync("default");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await stack.UpAsync(scaled: false);
        await stack.WaitHealthyAsync(s_healthyTimeout, expectedContainers: 6);
        output.WriteLine(await StackFigures.MeasureAsync(stack, "default", clock.Elapsed));

        var containers = await stack.ContainersAsync();
        var apis = containers.Where(c => c.Service == "api").ToList();
        Assert.Equal(2, apis.Count);
        Assert.DoesNotContain(containers, c => c.Service is "worker" or "scheduler");
        foreach (var container in containers.Where(c => c.IsRunning))
        {
            Assert.True(await Docker.UserIdInsideAsync(container.Id) != 0, $"{container.Service} runs as root");
        }
        // The frontend has no health check in the compose file: the healthy state is its image's own HEALTHCHECK.
        Assert.True(containers.Single(c => c.Service == "frontend").IsHealthy);

        using var user = new LearnAppClient(stack.FrontendUrl);
        Assert.Contains("<div id=\"root\"", await user.GetSpaIndexAsync(), StringComparison.Ordinal);
        await user.RegisterAsync();
        var deck = (await user.DecksAsync()).First(d => d.CardCount > 0);
        var card = (await user.DueAsync(deck.Id)).First();
        var review = await user.ReviewAsync(card.CardId, grade: 5);
        Assert.True(review.XpAwarded > 0);
        Assert.DoesNotContain(await user.DueAsync(deck.Id), c => c.CardId == card.CardId);

        // No workers in this profile: the heavy speaking task runs in-process on one of the Api replicas.
        var status = await user.TaskStatusAsync();
        Assert.Equal("hybrid", status.Executor);
        Assert.Equal("inprocess", status.HeavyTaskRoute);
        var job = await user.WaitForJobAsync(await user.UploadSpeakingAsync(card.CardId, SpeechWav.Create()), TimeSpan.FromSeconds(60));
        Assert.Contains(apis, api => job.ExecutedBy!.Contains(api.Hostname, StringComparison.Ordinal));
        var before = await Eventually.ReturnsAsync("the review's and the speaking job's XP", TimeSpan.FromSeconds(30), async () =>
            await user.MeAsync() is { } me && me.Xp == review.XpAwarded + job.XpAwarded ? me : null);

        // The frontend keeps its connections to the Api replicas open: requests through it close none of them (a
        // closed connection leaves its closing side in TIME_WAIT for a minute), and some stay established.
        var closedBefore = await ConnectionsToTheApiAsync(containers, TcpSocket.TimeWait);
        for (var i = 0; i < 40; i++)
        {
            await user.DecksAsync();
        }
        var closed = await ConnectionsToTheApiAsync(containers, TcpSocket.TimeWait) - closedBefore;
        Assert.True(closed < 5, $"40 requests through the frontend closed {closed} of its connections to the Api");
        Assert.True(await ConnectionsToTheApiAsync(containers, TcpSocket.Established) > 0);

        // Only failed answers reach the frontend's access log: a refused call leaves its line, the 40 above none.
        using (var anonymous = new HttpClient { BaseAddress = stack.FrontendUrl })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/me", TestContext.Current.CancellationToken)).StatusCode);
        }
        var frontendId = containers.Single(c => c.Service == "frontend").Id;
        var accessLog = await Eventually.ReturnsAsync("the refused call's line in the frontend's log", TimeSpan.FromSeconds(10), async () =>
            (await Docker.RunAsync(TimeSpan.FromSeconds(30), "logs", frontendId)).Output is var log
            && log.Contains("\"GET /api/v1/me HTTP/1.1\" 401", StringComparison.Ordinal) ? log : null);
        Assert.DoesNotContain("/api/v1/decks", accessLog, StringComparison.Ordinal);

        // down (without --volumes) and up again: the named volumes keep users and reviews.
        (await stack.ComposeAsync("down", "--timeout", "10")).EnsureSuccess();
        Assert.Empty(await stack.ContainersAsync());
        clock.Restart();
        await stack.UpAsync(scaled: false);
        await stack.WaitHealthyAsync(s_healthyTimeout, expectedContainers: 6);
        output.WriteLine($"after down and up: all healthy again in {clock.Elapsed.TotalSeconds:0.0} s");

        await user.LoginAsync();
        var after = await user.MeAsync();
        Assert.Equal(before.UserId, after.UserId);
        Assert.Equal(before.Xp, after.Xp);
        Assert.DoesNotContain(await user.DueAsync(deck.Id), c => c.CardId == card.CardId);
    }

    /// <summary>
    /// Connections between the frontend's nginx and the Api replicas' port in <paramref name="state"/>, counted on
    /// both sides (whichever side closes a connection keeps its TIME_WAIT); the Apis' health checks come from loopback.
    /// </summary>
    private static async Task<int> ConnectionsToTheApiAsync(IReadOnlyList<ContainerState> containers, int state)
    {
        const int ApiPort = 8080;
        var frontend = containers.Single(c => c.Service == "frontend");
        var count = (await TcpTable.ReadAsync(frontend.Id)).Count(s => s.RemotePort == ApiPort && s.State == state);
        foreach (var api in containers.Where(c => c.Service == "api"))
        {
            count += (await TcpTable.ReadAsync(api.Id)).Count(s => s.LocalPort == ApiPort && !s.IsLoopbackPeer && s.State == state);
        }
        return count;
    }
}
