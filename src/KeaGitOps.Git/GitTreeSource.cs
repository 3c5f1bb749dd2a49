using KeaGitOps.Core.Sources;
using LibGit2Sharp;

namespace KeaGitOps.Git;

/// <summary>
/// A folder as it is at a git revision, read from git's objects: no checkout, no temporary copy. Paths
/// are relative to the folder; symbolic links are followed inside the repository as the disk source follows
/// them (a link that loops, or leads out of the folder, is reported, never followed).
/// </summary>
public sealed class GitTreeSource : IFileSource
{
    private const int MaxLinkHops = 40;

    private readonly Commit _commit;
    private readonly string _root;
    private readonly string _displayRoot;

    /// <param name="commit">the revision (its repository must stay open while the source is used).</param>
    /// <param name="root">the folder, relative to the repository's top ("" for the whole tree).</param>
    /// <param name="displayRoot">how the folder reads in messages (as the working tree's path would).</param>
    public GitTreeSource(Commit commit, string root, string displayRoot)
    {
        _commit = commit;
        _root = SourcePath.Normalize(root) ?? throw new ArgumentException($"'{root}' is not a path inside the repository", nameof(root));
        _displayRoot = displayRoot;
    }

    public string RootDisplay => _displayRoot;

    public string Display(string path) => path.Length == 0 ? _displayRoot : _displayRoot.TrimEnd('/') + "/" + path;

    /// <summary>True when the folder exists at this revision.</summary>
    public bool Exists => _root.Length == 0 || _commit[_root]?.TargetType == TreeEntryTargetType.Tree;

    public SourceEntry Find(string path)
    {
        var normalized = SourcePath.Normalize(path);
        if (normalized is null)
        {
            return new SourceEntry(path, SourceEntryKind.Missing, path, LinkProblem.Outside);
        }

        var (real, entry, problem, link, target) = Resolve(normalized);
        if (problem != LinkProblem.None)
        {
            return new SourceEntry(normalized, SourceEntryKind.Missing, normalized, problem, link, target);
        }

        var kind = entry switch
        {
            null when real.Length == 0 => SourceEntryKind.Folder,
            { TargetType: TreeEntryTargetType.Tree } => SourceEntryKind.Folder,
            { TargetType: TreeEntryTargetType.Blob } => SourceEntryKind.File,
            _ => SourceEntryKind.Missing,
        };
        return new SourceEntry(normalized, kind, real);
    }

    public IReadOnlyList<SourceEntry> ListFiles(string folder, bool recursive) =>
        LinkedTree.ListFiles(this, folder, recursive, real =>
            ((Tree)(real.Length == 0 && _root.Length == 0 ? _commit.Tree : _commit[Full(real)].Target))
                .Where(child => child.TargetType is TreeEntryTargetType.Blob or TreeEntryTargetType.Tree)
                .Select(child => new TreeChild(child.Name, child.TargetType == TreeEntryTargetType.Tree, child.Mode == Mode.SymbolicLink ? LinkTarget(child) : null)));

    public byte[] ReadAllBytes(string path)
    {
        var blob = (Blob)_commit[Full(LinkedTree.RequireFile(this, path).Real)].Target;
        using var content = blob.GetContentStream();
        using var bytes = new MemoryStream();
        content.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>Resolves a path inside the folder component by component, following links as the kernel would.</summary>
    private (string Real, TreeEntry? Entry, LinkProblem Problem, string? Link, string? Target) Resolve(string relative)
    {
        var pending = new Stack<string>(relative.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = new List<string>();
        TreeEntry? entry = null;
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (current.Count == 0)
                {
                    return (relative, null, LinkProblem.Outside, null, null);
                }

                current.RemoveAt(current.Count - 1);
                entry = current.Count == 0 ? null : _commit[Full(string.Join('/', current))];
                continue;
            }

            current.Add(part);
            var path = string.Join('/', current);
            entry = _commit[Full(path)];
            if (entry is null)
            {
                // Nothing further down can exist; the rest of the path stays as written.
                current.AddRange(pending);
                return (string.Join('/', current), null, LinkProblem.None, null, null);
            }

            if (entry.Mode == Mode.SymbolicLink)
            {
                var target = LinkTarget(entry);
                if (++hops > MaxLinkHops)
                {
                    return (relative, null, LinkProblem.Loop, path, target);
                }

                if (target.StartsWith('/'))
                {
                    return (relative, null, LinkProblem.Outside, path, target);
                }

                current.RemoveAt(current.Count - 1);
                foreach (var linked in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(linked);
                }
            }
        }

        return (string.Join('/', current), entry, LinkProblem.None, null, null);
    }

    private string Full(string relative) => _root.Length == 0 ? relative : relative.Length == 0 ? _root : _root + "/" + relative;

    private static string LinkTarget(TreeEntry link) => ((Blob)link.Target).GetContentText().TrimEnd('\n');
}
