namespace KeaGitOps.Tests.Support;

/// <summary>Where the repository's own files are, found from the test binary so tests read the source tree, not copies in bin/.</summary>
public static class RepositoryLayout
{
    private static readonly Lazy<string> RootFolder = new(FindRoot);

    public static string Root => RootFolder.Value;

    public static string ExampleInventory => Path.Combine(Root, "inventory");

    public static string Templates => Path.Combine(Root, "templates");

    public static string Fixture(string name) => Path.Combine(FixturesFolder, name);

    public static string TestProject => Path.Combine(Root, "tests", "KeaGitOps.Tests");

    public static string GoldenFolder => Path.Combine(TestProject, "Golden");

    public static string FixturesFolder => Path.Combine(TestProject, "Fixtures");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "KeaGitOps.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} holds KeaGitOps.sln");
    }
}
