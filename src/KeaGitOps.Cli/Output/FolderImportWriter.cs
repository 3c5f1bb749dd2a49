using KeaGitOps.Core.Import;

namespace KeaGitOps.Cli.Output;

/// <summary>Import's output folder on disk: each file written atomically, its folders created.</summary>
public sealed class FolderImportWriter(DirectoryInfo folder) : IImportWriter
{
    public string Folder => folder.FullName;

    public bool IsEmpty() => !Directory.Exists(folder.FullName) || !Directory.EnumerateFileSystemEntries(folder.FullName).Any();

    public void Write(string relativePath, string text)
    {
        var path = Path.Combine(folder.FullName, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.Write(path, text);
    }
}
