using System.Globalization;
using LearnApp.Hosting.Orchestration.Processes;
using LearnApp.Testing;

namespace LearnApp.Hosting.Tests.Orchestration;

/// <summary>
/// A parent killed right after it started its children, before they could set up their death signal, still takes
/// them along. Repeated, because the window it closes is a few hundred microseconds wide.
/// </summary>
public sealed class ParentDeathTests
{
    private const int Rounds = 12;

    [Fact]
    public async Task ChildrenStartedJustBeforeTheirParentIsKilledDieWithIt()
    {
        var probePath = Path.Combine(AppContext.BaseDirectory, "LearnApp.OrphanProbe.dll");
        var survivors = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var children = new Dictionary<string, int>();
            var result = await ProcessRunner.RunToCompletionAsync(new ProcessSpec("dotnet")
            {
                Arguments = [probePath, "spawn-and-die"],
                OnOutputLine = line =>
                {
                    if (line.Split(' ') is [var name, var pid])
                    {
                        lock (children) { children[name] = int.Parse(pid, CultureInfo.InvariantCulture); }
                    }
                },
            }, TestContext.Current.CancellationToken);
            Assert.True(children.Count == 2, $"the probe did not report its children (exit {result.ExitCode}):\n{result.Output}");

            foreach (var (name, pid) in children)
            {
                // The grouped child is the supervisor's group leader: its group holds the sleeper too.
                if (!await ProcessTable.WaitUntilGoneAsync(pid, TimeSpan.FromSeconds(10)))
                {
                    survivors.Add($"round {round}: {name} {pid}");
                }
                foreach (var member in ProcessTable.GroupMembers(pid))
                {
                    if (!await ProcessTable.WaitUntilGoneAsync(member, TimeSpan.FromSeconds(10)))
                    {
                        survivors.Add($"round {round}: {name}'s group member {member}");
                    }
                }
            }
            foreach (var pid in children.Values.SelectMany(pid => ProcessTable.GroupMembers(pid).Append(pid)))
            {
                if (ProcessTable.IsRunning(pid))
                {
                    NativeKill(pid);
                }
            }
        }

        Assert.True(survivors.Count == 0, $"children outlived their killed parent:\n{string.Join('\n', survivors)}");
    }

    private static void NativeKill(int pid)
    {
        try
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }
}
