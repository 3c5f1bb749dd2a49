using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Cli.Output;
using KeaGitOps.Git;

namespace KeaGitOps.Tests.Git;

/// <summary>Deploy's git guards and records, against real temporary repositories.</summary>
public sealed class DeployGuardTests : IDisposable
{
    private readonly TemporaryRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public async Task Deploy_refuses_uncommitted_inventory_edits_before_contacting_any_server()
    {
        _repository.Edit("inventory/site.yaml", "comment: home LAN", "comment: not committed yet");
        var console = new StringWriter();

        var code = await DeployCommand.RunAsync(new DirectoryInfo(_repository.Inventory), OutputFormat.Text, null, null, dryRun: false, force: false, console, CancellationToken.None);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("has uncommitted changes; commit them first, or pass --allow-dirty", console.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("connect", console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Deployment_records_are_tags_that_history_shows()
    {
        DeploymentRecords.Record(_repository.Inventory, "kea-dhcp-2", _repository.HeadSha);
        var console = new StringWriter();

        var code = HistoryCommand.Run(new DirectoryInfo(_repository.Inventory), OutputFormat.Text, console);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal($"kea-dhcp-2: {_repository.HeadSha[..12]}", console.ToString()[..(12 + 12)]);
        Assert.Contains("example inventory", console.ToString(), StringComparison.Ordinal);
        var record = Assert.Single(DeploymentRecords.Read(_repository.Inventory));
        Assert.Equal(("kea-dhcp-2", _repository.HeadSha), (record.Server, record.Commit));
    }

    [Fact]
    public async Task Deploy_refuses_a_branch_other_than_the_configured_deploy_branch()
    {
        _repository.Edit("inventory/site.yaml", "kea:\n", "git: { deploy-branch: production }\n\nkea:\n");
        _repository.Commit("deploy only from production");
        var console = new StringWriter();

        var code = await DeployCommand.RunAsync(new DirectoryInfo(_repository.Inventory), OutputFormat.Text, null, null, dryRun: false, force: false, console, CancellationToken.None);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains($"deploys run only from branch production (git.deploy-branch), but branch {GitProvenance.CurrentBranch(_repository.Inventory)} is checked out", console.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("connect", console.ToString(), StringComparison.Ordinal);
    }
}
