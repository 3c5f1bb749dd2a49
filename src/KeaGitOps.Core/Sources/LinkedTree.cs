namespace KeaGitOps.Core.Sources;

/// <summary>One entry of a folder as a tree source stores it: a file, a folder, or a symbolic link (with what it says).</summary>
public readonly record struct TreeChild(string Name, bool IsFolder, string? LinkTarget);

/// <summary>
/// What every source whose <see cref="IFileSource.Find"/> follows symbolic links does the same way (the disk,
/// a git tree): list a folder's files without ever following a link that loops or leads out, and refuse to
/// read anything but a file, saying why.
/// </summary>
public static class LinkedTree
{
    /// <summary>
    /// The files under <paramref name="folder"/> of <paramref name="source"/>, ordered by path; <paramref name="children"/>
    /// gives a folder's entries by its real (link-free) path. A link that loops, leads out or nowhere is listed with
    /// its problem; a second way into a folder already listed adds nothing.
    /// </summary>
    public static IReadOnlyList<SourceEntry> ListFiles(IFileSource source, string folder, bool recursive, Func<string, IEnumerable<TreeChild>> children)
    {
        var start = source.Find(folder);
        if (start.Kind != SourceEntryKind.Folder || start.Problem != LinkProblem.None)
        {
            return [];
        }

        var results = new List<SourceEntry>();
        Walk(start.Path, start.Real, new HashSet<string>(StringComparer.Ordinal) { start.Real });
        results.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return results;

        // path: the folder as listed (links kept); real: the same folder with every link resolved.
        void Walk(string path, string real, HashSet<string> walked)
        {
            foreach (var child in children(real))
            {
                var childPath = SourcePath.Join(path, child.Name);
                var childReal = SourcePath.Join(real, child.Name);
                if (child.LinkTarget is null)
                {
                    if (!child.IsFolder)
                    {
                        results.Add(new SourceEntry(childPath, SourceEntryKind.File, childReal));
                    }
                    else if (recursive && walked.Add(childReal))
                    {
                        Walk(childPath, childReal, walked);
                    }

                    continue;
                }

                var entry = source.Find(childReal) with { Path = childPath };
                if (entry.Problem != LinkProblem.None || entry.Kind == SourceEntryKind.Missing)
                {
                    results.Add(entry with { Link = childPath, Target = child.LinkTarget });
                }
                else if (entry.Kind == SourceEntryKind.File)
                {
                    results.Add(entry);
                }
                else if (SourcePath.IsWithin(real, entry.Real))
                {
                    results.Add(entry with { Problem = LinkProblem.Loop, Link = childPath, Target = child.LinkTarget });
                }
                else if (recursive && walked.Add(entry.Real))
                {
                    Walk(childPath, entry.Real, walked);
                }
            }
        }
    }

    /// <summary>The entry of the file at <paramref name="path"/>; an IOException that says why when it is not a readable file.</summary>
    public static SourceEntry RequireFile(IFileSource source, string path)
    {
        var entry = source.Find(path);
        if (entry.Problem != LinkProblem.None || entry.Kind != SourceEntryKind.File)
        {
            throw new IOException(entry.Problem switch
            {
                LinkProblem.Loop => $"the symbolic link {entry.Link} loops",
                LinkProblem.Outside when entry.Link is not null => $"the symbolic link {entry.Link} leads outside {source.RootDisplay}",
                LinkProblem.Outside => $"the path leads outside {source.RootDisplay}",
                _ => entry.Kind == SourceEntryKind.Folder ? "it is a folder, not a file" : $"there is no such file in {source.RootDisplay}",
            });
        }

        return entry;
    }
}
