using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Sources;
using KeaGitOps.Core.Validation;
using KeaGitOps.Git;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Git;

/// <summary>An inventory read straight from git's objects (the pull request's base) is the inventory on disk, links and all.</summary>
public sealed class GitTreeSourceTests : IDisposable
{
    private readonly TemporaryRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    private static InventoryValidator Validator() => new(SchemaValidator.BuiltIn, InventoryValidator.DefaultRules, new InventoryLoader());

    [Fact]
    public void A_committed_inventory_reads_from_git_as_from_disk_with_the_same_digest_and_findings()
    {
        var committed = _repository.HeadSha;
        _repository.Edit("inventory/site.yaml", "valid-lifetime: 86400", "valid-lifetime: 7200");

        using var revision = GitRevision.Open(_repository.Inventory, committed);
        var fromGit = revision.Folder(_repository.Inventory);
        var fromDisk = new DiskFileSource(RepositoryLayout.ExampleInventory);

        Assert.NotNull(fromGit);
        Assert.Equal(
            fromDisk.ListFiles("reservations", recursive: true).Select(e => e.Path),
            fromGit.ListFiles("reservations", recursive: true).Select(e => e.Path));
        Assert.Equal(fromDisk.ReadAllBytes("site.yaml"), fromGit.ReadAllBytes("site.yaml"));
        var diagnostics = new Core.Diagnostics.DiagnosticBag();
        var gitDigest = InventoryLoader.Load(fromGit, diagnostics)!.Digest;
        Assert.Equal(InventoryLoader.Load(fromDisk, new Core.Diagnostics.DiagnosticBag())!.Digest, gitDigest);
        Assert.Equal(
            Validator().Validate(fromDisk).Diagnostics.Select(d => (d.Code, d.Location.Line, d.Location.Column)),
            Validator().Validate(fromGit).Diagnostics.Select(d => (d.Code, d.Location.Line, d.Location.Column)));
        Assert.Null(revision.Folder(Path.Combine(_repository.Root, "no-such-folder")));
    }

    [Fact]
    public void A_committed_link_loop_is_one_finding_naming_the_link_not_a_walk_down_it()
    {
        File.CreateSymbolicLink(Path.Combine(_repository.Inventory, "reservations", "loop"), "..");
        _repository.Commit("a link back up");

        using var revision = GitRevision.Open(_repository.Inventory, "HEAD");
        var fromGit = revision.Folder(_repository.Inventory)!;
        var listed = fromGit.ListFiles("reservations", recursive: true);
        var result = Validator().Validate(fromGit);

        var loop = Assert.Single(listed, e => e.Problem != LinkProblem.None);
        Assert.Equal((LinkProblem.Loop, "reservations/loop", ".."), (loop.Problem, loop.Link, loop.Target));
        var finding = Assert.Single(result.Diagnostics, d => d.Code == "KGO008");
        Assert.Contains("reservations/loop", finding.Message, StringComparison.Ordinal);
    }
}
