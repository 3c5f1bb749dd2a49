using KeaGitOps.Core.Rendering;
using LibGit2Sharp;

namespace KeaGitOps.Git;

/// <summary>Reads which commit an inventory is rendered from, so a live config can be traced back to git.</summary>
public static class GitProvenance
{
    /// <summary>
    /// The HEAD commit of the repository holding <paramref name="inventoryFolder"/>, dirty when the
    /// inventory or the templates have uncommitted changes (other files, such as rendered output, do
    /// not count: rendering twice must give the same bytes). Null outside git or before the first commit.
    /// </summary>
    public static SourceRevision? Read(string inventoryFolder, string? templatesFolder)
    {
        using var repository = GitRepositories.TryOpen(inventoryFolder);
        if (repository?.Head.Tip is not { } tip || repository.Info.WorkingDirectory is not { } workTree)
        {
            return null;
        }

        var watched = new[] { inventoryFolder, templatesFolder }
            .Where(f => f is not null)
            .Select(f => Path.GetRelativePath(workTree, Path.GetFullPath(f!)).Replace('\\', '/'))
            .Where(relative => !relative.StartsWith("..", StringComparison.Ordinal))
            .Select(relative => relative == "." ? "*" : relative + "/*")
            .ToList();
        var dirty = watched.Count > 0 && repository.RetrieveStatus(new StatusOptions { PathSpec = [.. watched], IncludeIgnored = false }).IsDirty;
        return new SourceRevision(tip.Sha, dirty);
    }

    /// <summary>The checked-out branch's short name, or null outside git or on a detached HEAD.</summary>
    public static string? CurrentBranch(string anyPathInRepository)
    {
        using var repository = GitRepositories.TryOpen(anyPathInRepository);
        return repository is null || repository.Info.IsHeadDetached ? null : repository.Head.FriendlyName;
    }
}
