using System.Text.RegularExpressions;

namespace KeaGitOps.Tests.Support;

/// <summary>A throw-away copy of an inventory folder, optionally retargeted to another Kea version.</summary>
public sealed partial class InventoryCopy : IDisposable
{
    private InventoryCopy(string folder) => Folder = folder;

    public string Folder { get; }

    public static InventoryCopy Of(string source, string? keaVersion = null)
    {
        var target = Directory.CreateTempSubdirectory("keagitops-inventory-").FullName;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        var copy = new InventoryCopy(target);
        if (keaVersion is not null)
        {
            copy.Edit("site.yaml", text => VersionLine().IsMatch(text)
                ? VersionLine().Replace(text, $"version: \"{keaVersion}\"", 1)
                : $"kea: {{ version: \"{keaVersion}\" }}\n" + text);
        }

        return copy;
    }

    public void Edit(string relativePath, Func<string, string> change)
    {
        var path = Path.Combine(Folder, relativePath);
        File.WriteAllText(path, change(File.ReadAllText(path)));
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    [GeneratedRegex("version: \"(2\\.2|3\\.0)\"")]
    private static partial Regex VersionLine();
}
