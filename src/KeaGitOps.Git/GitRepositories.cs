using LibGit2Sharp;

namespace KeaGitOps.Git;

/// <summary>
/// The one way keagitops finds the git repository a path lies in (the working tree's, found upwards from
/// the path as git itself does). Reading commands that can work without git ask <see cref="TryOpen"/>;
/// commands that need git ask <see cref="Open"/>, which says which command needs it.
/// </summary>
public static class GitRepositories
{
    /// <summary>The repository holding <paramref name="anyPath"/>, or null when there is none. The caller disposes it.</summary>
    public static Repository? TryOpen(string anyPath) =>
        Repository.Discover(Path.GetFullPath(anyPath)) is { } gitDir ? new Repository(gitDir) : null;

    /// <summary>The repository holding <paramref name="anyPath"/>; throws <see cref="GitRevisionException"/> naming <paramref name="neededBy"/> when there is none.</summary>
    public static Repository Open(string anyPath, string neededBy) =>
        TryOpen(anyPath) ?? throw new GitRevisionException($"{anyPath} is not inside a git repository; {neededBy} needs one");
}
