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

    public IReadOnlyList<SourceEntry> ListFiles(string folder, bool recursive)
    {
        var start = Find(folder);
        if (start.Kind != SourceEntryKind.Folder || start.Problem != LinkProblem.None)
        {
            return [];
        }

        var results = new List<SourceEntry>();
        Walk(start.Path, start.Real, recursive, new HashSet<string>(StringComparer.Ordinal) { start.Real }, results);
        results.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return results;
    }

    public byte[] ReadAllBytes(string path)
    {
        var entry = Find(path);
        if (entry.Problem != LinkProblem.None || entry.Kind != SourceEntryKind.File)
        {
            throw new IOException(entry.Kind == SourceEntryKind.Folder ? "it is a folder, not a file" : "no such file at this revision");
        }

        var blob = (Blob)_commit[Full(entry.Real)].Target;
        using var content = blob.GetContentStream();
        using var bytes = new MemoryStream();
        content.CopyTo(bytes);
        return bytes.ToArray();
    }

    private void Walk(string path, string real, bool recursive, HashSet<string> walked, List<SourceEntry> results)
    {
        var tree = real.Length == 0 && _root.Length == 0 ? _commit.Tree : (Tree)_commit[Full(real)].Target;
        foreach (var child in tree)
        {
            var childPath = SourcePath.Join(path, child.Name);
            var childReal = SourcePath.Join(real, child.Name);
            if (child.Mode != Mode.SymbolicLink)
            {
                if (child.TargetType == TreeEntryTargetType.Blob)
                {
                    results.Add(new SourceEntry(childPath, SourceEntryKind.File, childReal));
                }
                else if (child.TargetType == TreeEntryTargetType.Tree && recursive && walked.Add(childReal))
                {
                    Walk(childPath, childReal, recursive, walked, results);
                }

                continue;
            }

            var entry = Find(childReal) with { Path = childPath };
            var target = LinkTarget(child);
            if (entry.Problem != LinkProblem.None || entry.Kind == SourceEntryKind.Missing)
            {
                results.Add(entry with { Link = childPath, Target = target });
            }
            else if (entry.Kind == SourceEntryKind.File)
            {
                results.Add(entry);
            }
            else if (SourcePath.IsWithin(real, entry.Real))
            {
                results.Add(entry with { Problem = LinkProblem.Loop, Link = childPath, Target = target });
            }
            else if (recursive && walked.Add(entry.Real))
            {
                Walk(childPath, entry.Real, recursive, walked, results);
            }
        }
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
