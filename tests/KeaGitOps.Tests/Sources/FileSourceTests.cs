using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Core.Sources;
using KeaGitOps.Tests.Support;
using KeaGitOps.Tests.Validation;

namespace KeaGitOps.Tests.Sources;

public sealed class FileSourceTests
{
    [Theory]
    [InlineData("reservations/", "reservations")]
    [InlineData("./reservations//a.yaml", "reservations/a.yaml")]
    [InlineData("reservations/../site.yaml", "site.yaml")]
    [InlineData("", "")]
    [InlineData(".", "")]
    [InlineData("..", null)]
    [InlineData("reservations/../../x", null)]
    [InlineData("/etc/passwd", null)]
    public void Source_paths_are_normalised_and_never_climb_out_of_the_root(string written, string? normal) =>
        Assert.Equal(normal, SourcePath.Normalize(written));

    [Fact]
    public void Disk_source_lists_files_in_path_order_with_slashes_and_reads_them()
    {
        using var inventory = TempInventory.FromFiles(new Dictionary<string, string> { ["b.yaml"] = "b", ["a/z.yaml"] = "z", ["a/y/x.yaml"] = "x" });
        var source = new DiskFileSource(inventory.Folder, inventory.Folder);

        Assert.Equal(["a/y/x.yaml", "a/z.yaml", "b.yaml"], source.ListFiles(string.Empty, recursive: true).Select(e => e.Path));
        Assert.Equal(["b.yaml"], source.ListFiles(string.Empty, recursive: false).Select(e => e.Path));
        Assert.Equal(SourceEntryKind.Folder, source.Find("a/y").Kind);
        Assert.Equal(SourceEntryKind.Missing, source.Find("a/nothing.yaml").Kind);
        Assert.Equal("z"u8.ToArray(), source.ReadAllBytes("a/z.yaml"));
        Assert.Equal("a/z.yaml", source.Display("a/z.yaml"));
        Assert.Throws<IOException>(() => source.ReadAllBytes("a"));
    }

    [Fact]
    public void Disk_source_follows_links_inside_the_root_and_reports_the_real_file()
    {
        using var inventory = TempInventory.FromFiles(new Dictionary<string, string> { ["shared/hosts.yaml"] = "h" });
        File.CreateSymbolicLink(Path.Combine(inventory.Folder, "hosts"), "shared");
        var source = new DiskFileSource(inventory.Folder, inventory.Folder);

        var entry = Assert.Single(source.ListFiles("hosts", recursive: true));

        Assert.Equal(new SourceEntry("hosts/hosts.yaml", SourceEntryKind.File, "shared/hosts.yaml"), entry);
        Assert.Equal("h"u8.ToArray(), source.ReadAllBytes("hosts/hosts.yaml"));
    }

    [Fact]
    public void Disk_source_reports_a_loop_and_a_way_out_by_the_link_and_never_reads_through_them()
    {
        using var inventory = TempInventory.FromFiles(new Dictionary<string, string> { ["hosts/a.yaml"] = "a" });
        File.CreateSymbolicLink(Path.Combine(inventory.Folder, "hosts", "loop"), "..");
        File.CreateSymbolicLink(Path.Combine(inventory.Folder, "hosts", "out.yaml"), "/dev/null");
        File.CreateSymbolicLink(Path.Combine(inventory.Folder, "hosts", "me.yaml"), "me.yaml");
        var source = new DiskFileSource(inventory.Folder, inventory.Folder);

        var listed = source.ListFiles("hosts", recursive: true).ToDictionary(e => e.Path);

        Assert.Equal(["hosts/a.yaml", "hosts/loop", "hosts/me.yaml", "hosts/out.yaml"], listed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((LinkProblem.Loop, "hosts/loop", ".."), (listed["hosts/loop"].Problem, listed["hosts/loop"].Link, listed["hosts/loop"].Target));
        Assert.Equal((LinkProblem.Outside, "hosts/out.yaml", "/dev/null"), (listed["hosts/out.yaml"].Problem, listed["hosts/out.yaml"].Link, listed["hosts/out.yaml"].Target));
        Assert.Equal(LinkProblem.Loop, listed["hosts/me.yaml"].Problem);
        Assert.Equal(LinkProblem.Outside, source.Find("hosts/out.yaml").Problem);
        Assert.Throws<IOException>(() => source.ReadAllBytes("hosts/out.yaml"));
        Assert.Throws<IOException>(() => source.ReadAllBytes("../escape.yaml"));
    }

    [Fact]
    public void The_loader_reads_any_source_alike_an_in_memory_one_gives_the_disk_inventory()
    {
        using var example = TempInventory.FromExample();
        var disk = new InventoryLoader(example.Folder).Load(example.Folder, new DiagnosticBag())!;
        var memory = new MemorySource(Directory.EnumerateFiles(example.Folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(example.Folder, f).Replace('\\', '/'), File.ReadAllBytes));

        var diagnostics = new DiagnosticBag();
        var loaded = InventoryLoader.Load(memory, diagnostics)!;

        Assert.Empty(diagnostics.Items);
        Assert.Equal(disk.Digest, loaded.Digest);
        Assert.Equal(disk.Files.Select(f => f.RelativePath).Order(StringComparer.Ordinal), loaded.Files.Select(f => f.RelativePath).Order(StringComparer.Ordinal));
        Assert.Equal(55, ModelBinder.Bind(loaded.Root).Subnets[0].Reservations.Count);
    }

    [Fact]
    public void A_template_that_is_not_UTF8_is_a_finding_at_its_first_bad_byte()
    {
        using var templates = TempInventory.FromFolder(RepositoryLayout.Templates);
        var name = TemplateSet.Dhcp4 + ".scriban";
        File.WriteAllBytes(Path.Combine(templates.Folder, name), [.. "{\n  # caf"u8, 0xE9, .. "\n}\n"u8]);
        var diagnostics = new DiagnosticBag();

        var set = TemplateSet.Load(new DiskFileSource(templates.Folder, templates.Folder), diagnostics);

        Assert.Null(set);
        var finding = Assert.Single(diagnostics.Items);
        Assert.Equal(("KGO007", new SourceLocation(name, 2, 8)), (finding.Code, finding.Location));
    }

    [Fact]
    public void A_missing_template_is_a_finding_not_a_crash()
    {
        using var templates = TempInventory.FromFolder(RepositoryLayout.Templates);
        File.Delete(Path.Combine(templates.Folder, TemplateSet.ControlAgent + ".scriban"));
        var diagnostics = new DiagnosticBag();

        var set = TemplateSet.Load(new DiskFileSource(templates.Folder, templates.Folder), diagnostics);

        Assert.Null(set);
        var finding = Assert.Single(diagnostics.Items);
        Assert.Equal(("KGO601", SourceLocation.StartOf(TemplateSet.ControlAgent + ".scriban")), (finding.Code, finding.Location));
    }

    [Fact]
    public void Reservations_named_twice_are_read_once_and_the_second_reference_is_the_one_finding()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Append(ExampleInventory.Site, "  - id: 2\n    subnet: 10.0.0.0/24\n    pools: [10.0.0.10 - 10.0.0.20]\n    reservations-from: reservations/\n");

        var result = inventory.Validate();

        var site = File.ReadAllLines(Path.Combine(RepositoryLayout.ExampleInventory, ExampleInventory.Site));
        var from = Array.FindIndex(site, l => l.StartsWith("    reservations-from:", StringComparison.Ordinal)) + 1;
        var finding = result.AssertReported("KGO009", Severity.Error, new SourceLocation(ExampleInventory.Site, site.Length + 4, 24));
        Assert.Equal([new SourceLocation(ExampleInventory.Site, from, 24)], finding.Related);
        Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Empty(result.Model!.Subnets[1].Reservations);
        Assert.Equal(55, result.Model.Subnets[0].Reservations.Count);
    }

    /// <summary>A source with no disk behind it, the way a git tree is one.</summary>
    private sealed class MemorySource(Dictionary<string, byte[]> files) : IFileSource
    {
        public string RootDisplay => "<memory>";

        public string Display(string path) => "mem/" + path;

        public SourceEntry Find(string path)
        {
            var normal = SourcePath.Normalize(path);
            if (normal is null)
            {
                return new SourceEntry(path, SourceEntryKind.Missing, path, LinkProblem.Outside);
            }

            var kind = files.ContainsKey(normal) ? SourceEntryKind.File
                : normal.Length == 0 || files.Keys.Any(f => f.StartsWith(normal + "/", StringComparison.Ordinal)) ? SourceEntryKind.Folder
                : SourceEntryKind.Missing;
            return new SourceEntry(normal, kind, normal);
        }

        public IReadOnlyList<SourceEntry> ListFiles(string folder, bool recursive)
        {
            var normal = SourcePath.Normalize(folder) ?? throw new IOException("outside");
            return files.Keys
                .Where(f => SourcePath.IsWithin(f, normal) && f != normal && (recursive || !f[(normal.Length == 0 ? 0 : normal.Length + 1)..].Contains('/')))
                .Order(StringComparer.Ordinal)
                .Select(f => new SourceEntry(f, SourceEntryKind.File, f))
                .ToList();
        }

        public byte[] ReadAllBytes(string path) =>
            files.TryGetValue(SourcePath.Normalize(path) ?? string.Empty, out var bytes) ? bytes : throw new IOException("no such file");
    }
}
