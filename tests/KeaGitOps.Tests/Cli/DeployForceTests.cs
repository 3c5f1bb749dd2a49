using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Cli.Output;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Cli;

/// <summary>--force risks one server's clients, knowingly: it is refused unless it names that server.</summary>
public sealed class DeployForceTests
{
    [Fact]
    public async Task Force_without_a_named_server_is_refused_before_any_server_is_reached()
    {
        using var inventory = TempInventory.FromExample();
        var console = new StringWriter();

        var code = await DeployCommand.RunAsync(new DirectoryInfo(inventory.Folder), OutputFormat.Text, null, server: null, dryRun: false, force: true, console, CancellationToken.None, allowDirty: true);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("--force applies to one server: name it with --server NAME", console.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("connect", console.ToString(), StringComparison.Ordinal);
    }
}
