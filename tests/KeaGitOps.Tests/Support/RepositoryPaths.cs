namespace KeaGitOps.Tests.Support;

/// <summary>Folders of the repository under test, found from the test binary's location.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string ExampleInventory => Path.Combine(Root, "inventory");

    public static string Templates => Path.Combine(Root, "templates");

    public static string Fixture(string name) => Path.Combine(Root, "tests", "KeaGitOps.Tests", "Fixtures", name);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "KeaGitOps.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("KeaGitOps.sln not found above " + AppContext.BaseDirectory);
    }
}
