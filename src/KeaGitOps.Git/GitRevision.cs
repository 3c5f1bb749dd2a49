using KeaGitOps.Core.Diagnostics;
using LibGit2Sharp;

namespace KeaGitOps.Git;

/// <summary>
/// A repository at one revision, read from git's objects (never by checking out): the inventory and
/// templates as they are at a pull request's base, for the review diff.
/// </summary>
public sealed class GitRevision : IDisposable
{
    private readonly Repository _repository;
    private readonly Commit _commit;
    private readonly string _workTree;

    private GitRevision(Repository repository, Commit commit)
    {
        _repository = repository;
        _commit = commit;
        _workTree = repository.Info.WorkingDirectory;
    }

    public string Sha => _commit.Sha;

    /// <summary>
    /// <paramref name="revision"/> (a branch, tag, commit or expression such as HEAD~1) of the repository
    /// holding <paramref name="anyPathInRepository"/>. Throws <see cref="GitRevisionException"/> with a message
    /// for a person when the repository or revision cannot be found.
    /// </summary>
    public static GitRevision Open(string anyPathInRepository, string revision)
    {
        var repository = GitRepositories.Open(anyPathInRepository, "--base");
        try
        {
            var found = repository.Lookup(revision);
            var commit = found as Commit ?? found?.Peel<Commit>()
                ?? throw new GitRevisionException($"git revision '{revision}' was not found (fetch it first, e.g. git fetch origin main)");
            return new GitRevision(repository, commit);
        }
        catch
        {
            repository.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A folder of the working tree as it is at this revision, shown in messages as the working tree's
    /// path; null when the folder does not exist at this revision.
    /// </summary>
    public GitTreeSource? Folder(string workTreeFolder)
    {
        var full = Path.GetFullPath(workTreeFolder);
        var relative = Path.GetRelativePath(_workTree, full).Replace('\\', '/');
        if (relative == ".")
        {
            relative = string.Empty;
        }

        if (relative.StartsWith("..", StringComparison.Ordinal))
        {
            return null;
        }

        var source = new GitTreeSource(_commit, relative, DisplayPath.Of(full));
        return source.Exists ? source : null;
    }

    public void Dispose() => _repository.Dispose();

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
}

public sealed class GitRevisionException(string message) : Exception(message);
