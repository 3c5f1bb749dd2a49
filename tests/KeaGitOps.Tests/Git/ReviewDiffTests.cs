using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Cli.Output;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Git;

namespace KeaGitOps.Tests.Git;

/// <summary>keagitops diff --base REF against real temporary git repositories.</summary>
public sealed class ReviewDiffTests : IDisposable
{
    private readonly TemporaryRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    private (int ExitCode, string Output) Review(string baseRef, OutputFormat format = OutputFormat.Text)
    {
        var console = new StringWriter();
        var code = DiffCommand.Review(new DirectoryInfo(_repository.Inventory), format, null, baseRef, console);
        return (code, console.ToString());
    }

    [Fact]
    public void A_moved_reservation_shows_exactly_once_per_server_and_in_the_summary()
    {
        _repository.Edit("inventory/reservations/infrastructure.yaml", "ip-address: 192.168.1.20, hostname: eap773-ap-1", "ip-address: 192.168.1.230, hostname: eap773-ap-1");
        _repository.Commit("move the EAP773 AP");

        var (code, text) = Review("HEAD~1");

        Assert.Equal(ExitCodes.Changes, code);
        Assert.Contains("reservation moved: subnet 1 a8:29:48:c0:01:60: 192.168.1.20 eap773-ap-1 -> 192.168.1.230 eap773-ap-1", text, StringComparison.Ordinal);
        foreach (var server in new[] { "kea-dhcp-1", "kea-dhcp-2" })
        {
            Assert.Contains($"{server}: kea-dhcp4.conf: 1 change(s)", text, StringComparison.Ordinal);
            Assert.Contains($"{server}: kea-ctrl-agent.conf: no changes", text, StringComparison.Ordinal);
        }

        Assert.Equal(2, text.Split('\n').Count(l => l.Contains("~ Dhcp4.subnet4[id=1].reservations[hw-address=a8:29:48:c0:01:60].ip-address: \"192.168.1.20\" -> \"192.168.1.230\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_markdown_comment_is_collapsible_per_server_and_short_when_nothing_changed()
    {
        _repository.Edit("inventory/site.yaml", "capwap-ac-v4: 192.168.1.47", "capwap-ac-v4: 192.168.1.48");
        _repository.Commit("move the CAPWAP controller");

        var (code, markdown) = Review("HEAD~1", OutputFormat.Markdown);
        var (sameCode, same) = Review("HEAD", OutputFormat.Markdown);

        Assert.Equal(ExitCodes.Changes, code);
        Assert.StartsWith("### keagitops: rendered Kea configs against `HEAD~1", markdown, StringComparison.Ordinal);
        Assert.Contains("changed: subnets; 2 server(s) affected", markdown, StringComparison.Ordinal);
        Assert.Equal(2, markdown.Split('\n').Count(l => l.StartsWith("<details><summary><b>kea-dhcp-", StringComparison.Ordinal)));
        Assert.Contains("| ~ | `Dhcp4.subnet4[id=1].option-data[capwap-ac-v4].data` | `\"192.168.1.47\"` | `\"192.168.1.48\"` |", markdown, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, sameCode);
        Assert.Contains("No changes to any server's rendered configs.", same, StringComparison.Ordinal);
        Assert.True(same.Split('\n').Length < 6, "a no-change comment stays short");
    }

    [Fact]
    public void An_invalid_inventory_at_the_base_is_reported_not_crashed_on()
    {
        _repository.Edit("inventory/reservations/lights.yaml", "# example entries", "- { hw-address: \"a8:29:48:c0:01:61\", ip-address: 192.168.1.74, hostname: conflict }\n# example entries");
        _repository.Commit("an address reserved twice");
        _repository.Edit("inventory/reservations/lights.yaml", "- { hw-address: \"a8:29:48:c0:01:61\", ip-address: 192.168.1.74, hostname: conflict }\n", string.Empty);
        _repository.Commit("fixed");

        var (code, text) = Review("HEAD~1");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("KGO201", text, StringComparison.Ordinal);
        Assert.Contains("in the inventory at HEAD~1: it cannot be rendered", text, StringComparison.Ordinal);
        Assert.Contains("inventory/reservations/lights.yaml:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_revision_says_which_and_what_to_do()
    {
        var (code, text) = Review("no-such-branch");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("git revision 'no-such-branch' was not found (fetch it first", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Provenance_names_the_commit_and_whether_the_inventory_has_uncommitted_edits()
    {
        var clean = GitProvenance.Read(_repository.Inventory, null);
        _repository.Edit("inventory/site.yaml", "comment: home LAN", "comment: edited, not committed");
        var dirty = GitProvenance.Read(_repository.Inventory, null);
        var rendered = RenderPipeline.Default(_repository.Root).Run(_repository.Inventory, null, () => dirty);

        Assert.Equal(new SourceRevision(_repository.HeadSha, Dirty: false), clean);
        Assert.Equal(new SourceRevision(_repository.HeadSha, Dirty: true), dirty);
        var dhcp4 = rendered.Servers![0].File(TemplateSet.Dhcp4).Text;
        Assert.Contains($"\"source-commit\": \"{_repository.HeadSha}\"", dhcp4, StringComparison.Ordinal);
        Assert.Contains("\"source-dirty\": true", dhcp4, StringComparison.Ordinal);
    }

    [Fact]
    public void Inside_a_pull_request_the_base_defaults_to_the_merge_base_with_the_target_branch()
    {
        var forkPoint = _repository.HeadSha;
        using (var repository = new LibGit2Sharp.Repository(_repository.Root))
        {
            repository.Branches.Add("target", repository.Head.Tip);
        }

        _repository.Edit("inventory/site.yaml", "comment: home LAN", "comment: in the pull request");
        _repository.Commit("a pull-request change");
        var previous = Environment.GetEnvironmentVariable("GITHUB_BASE_REF");
        try
        {
            Environment.SetEnvironmentVariable("GITHUB_BASE_REF", "target");
            Assert.Equal(forkPoint, GitRevision.PullRequestBase(_repository.Inventory));
            Environment.SetEnvironmentVariable("GITHUB_BASE_REF", null);
            Assert.Null(GitRevision.PullRequestBase(_repository.Inventory));
        }
        finally
        {
            Environment.SetEnvironmentVariable("GITHUB_BASE_REF", previous);
        }
    }

    [Fact]
    public void Added_and_removed_reservations_are_named_by_their_identifier()
    {
        _repository.Edit("inventory/reservations/lights.yaml", "# example entries (not from the report)\n", "# example entries (not from the report)\n- { hw-address: \"02:aa:00:00:00:01\", ip-address: 192.168.1.231, hostname: new-lamp }\n");
        _repository.Edit("inventory/reservations/smart-home.yaml", "- { hw-address: \"60:3e:5f:11:38:bc\", ip-address: 192.168.1.11, hostname: kristys-air, comment: \"laptop (lease seen in the report)\" }\n", string.Empty);
        _repository.Commit("a new lamp; the laptop leaves");

        var (code, text) = Review("HEAD~1");

        Assert.Equal(ExitCodes.Changes, code);
        Assert.Contains("changes against HEAD~1", text, StringComparison.Ordinal);
        Assert.Contains("1 reservation(s) added; 1 reservation(s) removed", text, StringComparison.Ordinal);
        Assert.Contains("reservation added: subnet 1 02:aa:00:00:00:01: - -> 192.168.1.231 new-lamp", text, StringComparison.Ordinal);
        Assert.Contains("reservation removed: subnet 1 60:3e:5f:11:38:bc: 192.168.1.11 kristys-air -> -", text, StringComparison.Ordinal);
    }
}
