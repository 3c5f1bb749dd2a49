using System.Text;

namespace KeaGitOps.Cli.Output;

/// <summary>Writes a file so that a reader never sees half of it: temp file beside it, then rename.</summary>
public static class AtomicFile
{
    public static void Write(string path, string text)
    {
        var temp = $"{path}.tmp-{Environment.ProcessId}";
        File.WriteAllText(temp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temp, path, overwrite: true);
    }
}
