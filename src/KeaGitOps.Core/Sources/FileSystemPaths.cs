namespace KeaGitOps.Core.Sources;

/// <summary>
/// Kea configuration files name absolute paths (an include may point anywhere on the server), so a Kea
/// config is read from a source rooted at the file system's root: the local disk's (<see cref="LocalRoot"/>)
/// or a server's (Remote's RemoteFileSource). These read such a source by absolute path.
/// </summary>
public static class FileSystemPaths
{
    /// <summary>The local file system from its root.</summary>
    public static IFileSource LocalRoot() => new DiskFileSource("/");

    /// <summary>The bytes of the file at <paramref name="absolutePath"/>, or null when there is none; IOException when it exists but cannot be read.</summary>
    public static byte[]? ReadAt(this IFileSource root, string absolutePath) =>
        root.IsFileAt(absolutePath) ? root.ReadAllBytes(Relative(absolutePath)) : null;

    /// <summary>Whether <paramref name="absolutePath"/> is a file the source will read.</summary>
    public static bool IsFileAt(this IFileSource root, string absolutePath) =>
        root.Find(Relative(absolutePath)) is { Kind: SourceEntryKind.File, Problem: LinkProblem.None };

    /// <summary>How <paramref name="absolutePath"/> reads in messages.</summary>
    public static string DisplayAt(this IFileSource root, string absolutePath) => root.Display(Relative(absolutePath));

    private static string Relative(string absolutePath) => Path.GetFullPath(absolutePath).TrimStart('/');
}
