namespace Ledger.Capture.Files;

/// <summary>
/// Writes an executable script so that it can be run at once, even by a process that starts other
/// processes on other threads: a file this process held open for writing can be inherited by a
/// child between its fork and exec, and running it then fails with "Text file busy". The final
/// file is therefore written by a short-lived <c>install</c> process, never opened for writing here.
/// </summary>
public static class ScriptFile
{
    public static void Write(string path, string content)
    {
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temp, content.ReplaceLineEndings("\n"));
        try
        {
            var install = ProgramRunner.Default.Run(new ProgramCall("install", ["-m", "0755", temp, path]));
            if (install.ExitCode != 0)
            {
                throw new IOException($"install could not write {path}: {install.StandardError.Trim()}");
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
