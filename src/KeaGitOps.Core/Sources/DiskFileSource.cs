namespace KeaGitOps.Core.Sources;

/// <summary>The local file system; paths are shown as given.</summary>
public sealed class DiskFileSource : IFileSource
{
    public static readonly DiskFileSource Instance = new();

    public string Display(string path) => path;

    public byte[]? ReadFile(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileSourceException($"cannot read {path}: {e.Message}");
        }
    }
}
