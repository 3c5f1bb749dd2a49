using LibGit2Sharp;

namespace KeaGitOps.Git;

/// <summary>
/// Folders as they are at a git revision, read from git's objects (never by checking out), written
/// to a scratch folder so the usual loader can read them. Used to render the inventory at a base
/// revision for a pull-request review.
/// </summary>
public sealed class GitSnapshot : IDisposable
{
    private readonly string _workTree;

    private GitSnapshot(string folder, string workTree)
    {
        Folder = folder;
        _workTree = workTree;
    }

    /// <summary>The scratch folder; repository-relative paths keep their place under it.</summary>
    public string Folder { get; }

    /// <summary>
    /// Writes <paramref name="paths"/> (folders inside the repository holding <paramref name="anyPathInRepository"/>)
    /// as they are at <paramref name="revision"/> (a branch, tag, commit or expression such as HEAD~1).
    /// Paths that do not exist at that revision are left out. Throws <see cref="GitSnapshotException"/> with a
    /// message for a person when the repository or revision cannot be found.
    /// </summary>
    public static GitSnapshot At(string anyPathInRepository, string revision, IEnumerable<string> paths, out string commitSha)
    {
        using var repository = GitRepositories.Open(anyPathInRepository, "--base");
        var commit = (repository.Lookup(revision) as Commit) ?? (repository.Lookup(revision)?.Peel<Commit>())
            ?? throw new GitSnapshotException($"git revision '{revision}' was not found (fetch it first, e.g. git fetch origin main)");
        commitSha = commit.Sha;
        var workTree = repository.Info.WorkingDirectory;
        var snapshot = new GitSnapshot(Directory.CreateTempSubdirectory("keagitops-base-").FullName, workTree);
        foreach (var path in paths)
        {
            var relative = Path.GetRelativePath(workTree, Path.GetFullPath(path)).Replace('\\', '/');
            if (commit[relative]?.Target is Tree tree)
            {
                Write(tree, Path.Combine(snapshot.Folder, relative));
            }
        }

        return snapshot;
    }

    /// <summary>
    /// Inside a pull request (GitHub's GITHUB_BASE_REF, GitLab's CI_MERGE_REQUEST_TARGET_BRANCH_NAME), the
    /// merge base of HEAD and the target branch: what the PR changes, whatever else landed meanwhile.
    /// Null outside a pull request or when the target branch is not fetched.
    /// </summary>
    public static string? PullRequestBase(string anyPathInRepository)
    {
        var target = Environment.GetEnvironmentVariable("GITHUB_BASE_REF") is { Length: > 0 } github ? github
            : Environment.GetEnvironmentVariable("CI_MERGE_REQUEST_TARGET_BRANCH_NAME") is { Length: > 0 } gitlab ? gitlab : null;
        using var repository = target is null ? null : GitRepositories.TryOpen(anyPathInRepository);
        if (repository is null)
        {
            return null;
        }

        var branch = repository.Branches[$"origin/{target}"] ?? repository.Branches[target!];
        return branch?.Tip is { } tip && repository.Head.Tip is { } head ? repository.ObjectDatabase.FindMergeBase(head, tip)?.Sha : null;
    }

    /// <summary>Where a folder of the working tree lies inside the snapshot.</summary>
    public string Map(string workTreeFolder) => Path.Combine(Folder, Path.GetRelativePath(_workTree, Path.GetFullPath(workTreeFolder)));

    private static void Write(Tree tree, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var entry in tree)
        {
            var target = Path.Combine(folder, entry.Name);
            switch (entry.Target)
            {
                case Tree subtree:
                    Write(subtree, target);
                    break;
                case Blob blob:
                    using (var content = blob.GetContentStream())
                    using (var file = File.Create(target))
                    {
                        content.CopyTo(file);
                    }

                    break;
            }
        }
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

public sealed class GitSnapshotException(string message) : Exception(message);
