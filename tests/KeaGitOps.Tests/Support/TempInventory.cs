using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Validation;
using System.Text.RegularExpressions;
using Xunit;

namespace KeaGitOps.Tests.Support;

/// <summary>
/// An inventory written to a temporary folder that is also the working folder, so findings read like
/// "site.yaml:12:7". Most rule tests start from the shipped example and make one edit: that proves the
/// rule fires, and where, on an otherwise valid inventory.
/// </summary>
public sealed partial class TempInventory : IDisposable
{
    private TempInventory()
    {
        Folder = Path.Combine(Path.GetTempPath(), "keagitops-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    /// <summary>An inventory made of the given files (path relative to the inventory folder → YAML text).</summary>
    public static TempInventory FromFiles(IReadOnlyDictionary<string, string> files)
    {
        var inventory = new TempInventory();
        foreach (var (path, text) in files)
        {
            inventory.Write(path, text);
        }

        return inventory;
    }

    /// <summary>A copy of the repository's example inventory (inventory/), ready to be edited.</summary>
    public static TempInventory FromExample() => FromFolder(RepositoryLayout.ExampleInventory);

    /// <summary>A copy of an inventory folder, retargeted to <paramref name="keaVersion"/> when one is given.</summary>
    public static TempInventory FromFolder(string source, string? keaVersion = null)
    {
        var inventory = new TempInventory();
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            inventory.Write(Path.GetRelativePath(source, file), File.ReadAllText(file));
        }

        if (keaVersion is not null)
        {
            var site = inventory.Read("site.yaml");
            inventory.Write("site.yaml", KeaVersionLine().IsMatch(site)
                ? KeaVersionLine().Replace(site, $"version: \"{keaVersion}\"", 1)
                : $"kea: {{ version: \"{keaVersion}\" }}\n" + site);
        }

        return inventory;
    }

    public static ValidationResult Validate(string inventoryFolder, string workingDirectory) =>
        new InventoryValidator(SchemaValidator.BuiltIn, InventoryValidator.DefaultRules, new InventoryLoader(workingDirectory)).Validate(inventoryFolder);

    public ValidationResult Validate() => Validate(Folder, Folder);

    public string Read(string path) => File.ReadAllText(FullPath(path));

    public void Write(string path, string text)
    {
        var full = FullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    public void Delete(string path) => File.Delete(FullPath(path));

    /// <summary>Replaces text that must occur exactly once in the file, so an edit cannot silently miss.</summary>
    public void Replace(string path, string oldText, string newText)
    {
        var text = Read(path).ReplaceLineEndings("\n");
        var first = text.IndexOf(oldText, StringComparison.Ordinal);
        Assert.True(first >= 0, $"'{oldText}' is not in {path}");
        Assert.True(text.IndexOf(oldText, first + 1, StringComparison.Ordinal) < 0, $"'{oldText}' occurs more than once in {path}");
        Write(path, string.Concat(text.AsSpan(0, first), newText, text.AsSpan(first + oldText.Length)));
    }

    public void Append(string path, string text) => Write(path, Read(path).ReplaceLineEndings("\n") + text);

    /// <summary>
    /// The place of <paramref name="value"/> on the one line of <paramref name="path"/> that contains
    /// <paramref name="lineMarker"/>: the file:line:col a finding about that value must carry.
    /// </summary>
    public SourceLocation At(string path, string lineMarker, string? value = null)
    {
        var lines = Read(path).ReplaceLineEndings("\n").Split('\n');
        var matches = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(lineMarker, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"'{lineMarker}' is on {matches.Count} lines of {path}; a location marker must be on exactly one");
        var line = lines[matches[0]];
        var column = line.IndexOf(value ?? lineMarker, StringComparison.Ordinal);
        Assert.True(column >= 0, $"'{value}' is not on the line of {path} holding '{lineMarker}'");
        return new SourceLocation(path.Replace('\\', '/'), matches[0] + 1, column + 1);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the test that used it.
        }
    }

    private string FullPath(string path) => Path.Combine(Folder, path);

    [GeneratedRegex("version: \"(2\\.2|2\\.6|3\\.0)\"")]
    private static partial Regex KeaVersionLine();
}
