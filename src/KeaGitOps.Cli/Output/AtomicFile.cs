using System.Text;

namespace KeaGitOps.Cli.Output;

/// <summary>Writes a file so that a reader never sees half of it: temp file beside it, then rename.</summary>
public static class AtomicFile
{
    public static void Write(string path, string text) => Write(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));

    public static void Write(string path, byte[] bytes)
    {
        var temp = $"{path}.tmp-{Environment.ProcessId}";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }
}
