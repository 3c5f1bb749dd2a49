namespace KeaGitOps.Core.Sources;

/// <summary>What a path of a source leads to.</summary>
public enum SourceEntryKind
{
    Missing,
    File,
    Folder,
}

/// <summary>Why a symbolic link on the way to a path is not followed.</summary>
public enum LinkProblem
{
    None,

    /// <summary>The link leads back to a folder that contains it (or to itself): following it never ends.</summary>
    Loop,

    /// <summary>The link leads out of the source's root.</summary>
    Outside,
}

/// <summary>
/// One path of a source. <paramref name="Path"/> is relative to the root with '/' separators ("" is the
/// root itself); <paramref name="Real"/> is where it resolves to inside the root once links are followed
/// (the same as Path where no link is involved), so one file reached by two paths is recognised. When a
/// link is not followed, <paramref name="Link"/> is that link (relative to the root) and
/// <paramref name="Target"/> what it points at, as written in the link.
/// </summary>
public sealed record SourceEntry(string Path, SourceEntryKind Kind, string Real, LinkProblem Problem = LinkProblem.None, string? Link = null, string? Target = null);

/// <summary>
/// A read-only tree of files under one root: a folder on disk, a git tree, a server's files. Core reads
/// inventories and templates only through it, so it does no file I/O of its own. Paths are relative to
/// the root with '/' separators; a source never hands out anything outside its root.
/// </summary>
public interface IFileSource
{
    /// <summary>The root as the user would type it, for messages about the root itself.</summary>
    string RootDisplay { get; }

    /// <summary>A path of the source as the user would type it, for messages.</summary>
    string Display(string path);

    /// <summary>What <paramref name="path"/> leads to; a link that loops or leads outside is reported, not followed.</summary>
    SourceEntry Find(string path);

    /// <summary>
    /// The files in a folder (with <paramref name="recursive"/>, in its sub-folders too), ordered by path
    /// (ordinal). Links that loop or lead outside are listed with their problem and never followed.
    /// </summary>
    IReadOnlyList<SourceEntry> ListFiles(string folder, bool recursive);

    /// <summary>The bytes of a file that <see cref="Find"/> reports as a file; IOException (with a reason a user can act on) otherwise.</summary>
    byte[] ReadAllBytes(string path);
}

/// <summary>Source-relative paths: '/' separators, no '.' or '..' segments, "" for the root.</summary>
public static class SourcePath
{
    /// <summary>The normal form of a path written relative to the root, or null when it is absolute or climbs out of the root.</summary>
    public static string? Normalize(string path)
    {
        if (path.Length == 0)
        {
            return string.Empty;
        }

        if (path[0] == '/' || path.Contains('\0', StringComparison.Ordinal) || System.IO.Path.IsPathRooted(path))
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (parts.Count == 0)
                    {
                        return null;
                    }

                    parts.RemoveAt(parts.Count - 1);
                    continue;
                default:
                    parts.Add(part);
                    continue;
            }
        }

        return string.Join('/', parts);
    }

    public static string Join(string folder, string name) => folder.Length == 0 ? name : folder + "/" + name;

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or lies under it.</summary>
    public static bool IsWithin(string path, string folder) =>
        folder.Length == 0 || path == folder || path.StartsWith(folder + "/", StringComparison.Ordinal);
}
