using KeaGitOps.Core.Diagnostics;

namespace KeaGitOps.Core.Sources;

/// <summary>
/// A folder on the local disk as a <see cref="IFileSource"/>. Symbolic links are followed the way the
/// kernel does (component by component), except that a link leading out of the root or back into a
/// folder that contains it is reported instead: a directory walk that follows <c>loop -> ..</c> only
/// stops when the path grows too long, reading the same files dozens of times over.
/// </summary>
public sealed class DiskFileSource : IFileSource
{
    /// <summary>Linux's own limit of links followed for one path (ELOOP beyond it).</summary>
    private const int MaxLinkHops = 40;

    private readonly string _given;
    private readonly string _root;
    private readonly string _workingDirectory;

    /// <param name="root">the folder; messages show paths relative to <paramref name="workingDirectory"/> (default: the current folder) when inside it.</param>
    public DiskFileSource(string root, string? workingDirectory = null)
    {
        _workingDirectory = Path.GetFullPath(workingDirectory ?? Directory.GetCurrentDirectory());
        _given = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _root = Follow("/", _given, _ => true).Full;
    }

    public string RootDisplay => DisplayPath.Of(_given, _workingDirectory);

    public string Display(string path) =>
        path.Length == 0 ? RootDisplay : DisplayPath.Of(Path.Join(_given, path.Replace('/', Path.DirectorySeparatorChar)), _workingDirectory);

    public SourceEntry Find(string path)
    {
        var normalized = SourcePath.Normalize(path);
        if (normalized is null)
        {
            return new SourceEntry(path, SourceEntryKind.Missing, path, LinkProblem.Outside);
        }

        var walk = Follow(_root, normalized, Inside);
        if (walk.Loop)
        {
            return new SourceEntry(normalized, SourceEntryKind.Missing, normalized, LinkProblem.Loop, walk.Link, walk.Target);
        }

        var kind = Directory.Exists(walk.Full) ? SourceEntryKind.Folder : File.Exists(walk.Full) ? SourceEntryKind.File : SourceEntryKind.Missing;
        return Inside(walk.Full)
            ? new SourceEntry(normalized, kind, Relative(walk.Full))
            : new SourceEntry(normalized, kind, normalized, LinkProblem.Outside, walk.LeftBy ?? walk.Link, walk.LeftTarget ?? walk.Target);
    }

    public IReadOnlyList<SourceEntry> ListFiles(string folder, bool recursive) =>
        LinkedTree.ListFiles(this, folder, recursive, real => new DirectoryInfo(Full(real)).EnumerateFileSystemInfos().Select(child =>
            new TreeChild(child.Name, child is DirectoryInfo, child.Attributes.HasFlag(FileAttributes.ReparsePoint) ? child.LinkTarget ?? string.Empty : null)));

    public byte[] ReadAllBytes(string path)
    {
        var full = Full(LinkedTree.RequireFile(this, path).Real);
        // A FIFO or a device reports a length of 0, and reading one can block for ever: such files read as empty.
        return new FileInfo(full).Length == 0 ? [] : File.ReadAllBytes(full);
    }

    private sealed record Walked(string Full, bool Loop, string? Link, string? Target, string? LeftBy, string? LeftTarget);

    /// <summary>Resolves <paramref name="relative"/> from <paramref name="start"/> component by component, following links.</summary>
    private Walked Follow(string start, string relative, Func<string, bool> inside)
    {
        var pending = new Stack<string>(relative.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = start;
        string? link = null, target = null, leftBy = null, leftTarget = null;
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
            }
            else
            {
                var next = Path.Join(current, part);
                var linkTarget = LinkTargetOf(next);
                if (linkTarget is not null)
                {
                    link = inside(next) ? Relative(next) : next;
                    target = linkTarget;
                    if (++hops > MaxLinkHops)
                    {
                        return new Walked(current, true, link, target, leftBy, leftTarget);
                    }

                    foreach (var linked in linkTarget.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                    {
                        pending.Push(linked);
                    }

                    if (Path.IsPathRooted(linkTarget))
                    {
                        current = Path.GetPathRoot(linkTarget) ?? "/";
                    }

                    continue;
                }

                current = next;
            }

            if (leftBy is null && !inside(current))
            {
                (leftBy, leftTarget) = (link, target);
            }
        }

        return new Walked(current, false, link, target, leftBy, leftTarget);
    }

    private static string? LinkTargetOf(string full)
    {
        try
        {
            return new FileInfo(full).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private bool Inside(string full) =>
        full == _root || full.StartsWith(_root.EndsWith(Path.DirectorySeparatorChar) ? _root : _root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private string Relative(string full)
    {
        var relative = Path.GetRelativePath(_root, full).Replace('\\', '/');
        return relative == "." ? string.Empty : relative;
    }

    private string Full(string real) => real.Length == 0 ? _root : Path.Join(_root, real);
}
