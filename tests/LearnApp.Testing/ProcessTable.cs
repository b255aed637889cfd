using System.Globalization;

namespace LearnApp.Testing;

/// <summary>Reads /proc, to check from the outside which processes are really running.</summary>
public static class ProcessTable
{
    /// <summary>True while the process exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // The state letter follows the parenthesised command name, which may itself contain spaces.
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Every running process whose process group is <paramref name="groupId"/> (a supervisor and what it started).</summary>
    public static IReadOnlyList<int> GroupMembers(int groupId)
    {
        var members = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // After the command name: state, ppid, pgrp.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] is not ("Z" or "X") && int.Parse(fields[2], CultureInfo.InvariantCulture) == groupId)
                {
                    members.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
        }
        return members;
    }

    /// <summary>Polls until the process is gone; false if it is still running after <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitUntilGoneAsync(int pid, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (IsRunning(pid))
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                return !IsRunning(pid);
            }
        }
        return true;
    }
}
