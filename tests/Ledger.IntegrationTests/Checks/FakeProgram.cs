namespace Ledger.IntegrationTests.Checks;

/// <summary>Writes executable shell scripts that stand in for system programs.</summary>
internal static class FakeProgram
{
    public static string Write(string folder, string name, string script)
    {
        var path = Path.Combine(folder, name);
        Ledger.Capture.Files.ScriptFile.Write(path, script);
        return path;
    }

    /// <summary>Whether a process still runs (a zombie has ended and only waits to be reaped).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Polls until the process is gone, for at most <paramref name="patience"/>.</summary>
    public static async Task<bool> IsGoneWithinAsync(int pid, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        while (IsRunning(pid))
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }
}
