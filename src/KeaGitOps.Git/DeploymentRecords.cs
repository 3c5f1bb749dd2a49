using LibGit2Sharp;

namespace KeaGitOps.Git;

/// <summary>One record of what was deployed where.</summary>
public sealed record DeploymentRecord(string Server, string Commit, string Summary, DateTimeOffset CommitDate);

/// <summary>
/// Records deployments in the repository itself: a lightweight tag <c>deployed/SERVER</c> moved to the
/// commit each server now runs, so <c>git log deployed/kea-dhcp-1</c> and <c>keagitops history</c> answer
/// "what runs where" without any other store.
/// </summary>
public static class DeploymentRecords
{
    public const string TagPrefix = "deployed/";

    public static void Record(string anyPathInRepository, string server, string commit)
    {
        using var repository = Open(anyPathInRepository);
        repository.Tags.Add(TagPrefix + server, commit, allowOverwrite: true);
    }

    public static IReadOnlyList<DeploymentRecord> Read(string anyPathInRepository)
    {
        using var repository = Open(anyPathInRepository);
        return repository.Tags
            .Where(t => t.FriendlyName.StartsWith(TagPrefix, StringComparison.Ordinal))
            .Select(t => (Server: t.FriendlyName[TagPrefix.Length..], Commit: t.Target.Peel<Commit>()))
            .Select(x => new DeploymentRecord(x.Server, x.Commit.Sha, x.Commit.MessageShort, x.Commit.Committer.When))
            .OrderBy(r => r.Server, StringComparer.Ordinal)
            .ToList();
    }

    private static Repository Open(string anyPathInRepository) => GitRepositories.Open(anyPathInRepository, "the deployment record (tags deployed/SERVER)");
}
