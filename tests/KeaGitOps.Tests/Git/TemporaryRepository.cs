using LibGit2Sharp;

namespace KeaGitOps.Tests.Git;

/// <summary>A real temporary git repository holding a copy of the example inventory, committed once.</summary>
public sealed class TemporaryRepository : IDisposable
{
    private static readonly Signature Author = new("KeaGitOps tests", "tests@keagitops.invalid", DateTimeOffset.UnixEpoch);

    public TemporaryRepository()
    {
        Root = Directory.CreateTempSubdirectory("keagitops-repo-").FullName;
        Repository.Init(Root);
        foreach (var file in Directory.EnumerateFiles(Support.RepositoryLayout.ExampleInventory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Inventory, Path.GetRelativePath(Support.RepositoryLayout.ExampleInventory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        Commit("example inventory");
    }

    public string Root { get; }

    public string Inventory => Path.Combine(Root, "inventory");

    public string HeadSha
    {
        get
        {
            using var repository = new Repository(Root);
            return repository.Head.Tip.Sha;
        }
    }

    public void Edit(string relativePath, string find, string replace)
    {
        var path = Path.Combine(Root, relativePath);
        var text = File.ReadAllText(path);
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
    }

    public void Commit(string message)
    {
        using var repository = new Repository(Root);
        Commands.Stage(repository, "*");
        repository.Commit(message, Author, Author);
    }

    public void Dispose()
    {
        // git marks its object files read-only.
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(Root, recursive: true);
    }
}
