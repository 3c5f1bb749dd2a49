using System.Text.RegularExpressions;
using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Tests.Support;
using Xunit.Abstractions;

namespace KeaGitOps.Tests.Lab;

/// <summary>keagitops drill failover against the lab's real Kea 3.0 pair: the whole drill, its refusal under a held lock, and its dry run.</summary>
[Collection(LabCollection.Name)]
public sealed partial class DrillLabTests(LabFixture lab, ITestOutputHelper output) : ServingPairLabTests(lab, output)
{
    private (int ExitCode, string Output) Drill(string server, bool dryRun = false)
    {
        var console = new StringWriter();
        var code = DrillCommand.RunAsync(new DirectoryInfo(Inventory.Folder), null, server, yes: true, dryRun, console, CancellationToken.None).GetAwaiter().GetResult();
        Output.WriteLine($"drill (exit {code}):\n{console}");
        return (code, console.ToString());
    }

    private string DaemonPid(string server) => Lab.RunOnServer(server, "cat /run/kea/kea-lab-kea-dhcp4.pid").Stdout.Trim();

    [Fact]
    public void The_drill_stops_the_primary_sees_the_secondary_take_over_and_leaves_both_load_balancing()
    {
        var pid = DaemonPid(LabFixture.Server1);

        var (code, text) = Drill(LabFixture.Server1);

        Assert.Equal(ExitCodes.Success, code);
        foreach (var phase in new[] { "preflight", "lock", "stop", "failover", "restart", "recover" })
        {
            Assert.Matches(new Regex($"^{phase} +\\d+\\.\\d s  ", RegexOptions.Multiline), text);
        }

        Assert.Contains("kea-dhcp-2 reports partner-down and answers", text, StringComparison.Ordinal);
        Assert.Matches(PassedLine(), text);
        Assert.NotEqual(pid, DaemonPid(LabFixture.Server1));
        Assert.All(LabFixture.Servers, s => Assert.Equal("load-balancing", Support.HaState(s)));
        Assert.All(LabFixture.Servers, s => Assert.Empty(Lab.RunOnServer(s, "ls -d /run/lock/keagitops 2>/dev/null").Stdout.Trim()));
    }

    [Fact]
    public void The_drill_refuses_while_a_deploy_holds_the_lock_and_stops_nothing()
    {
        Lab.RunOnServer(LabFixture.Server2, "mkdir -p /run/lock/keagitops && echo 'alice@laptop pid 4242' > /run/lock/keagitops/owner");
        var pids = LabFixture.Servers.Select(DaemonPid).ToList();

        var (code, text) = Drill(LabFixture.Server1);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("refused: a deploy holds the lock on kea-dhcp-2 (alice@laptop pid 4242)", text, StringComparison.Ordinal);
        Assert.Equal(pids, LabFixture.Servers.Select(DaemonPid).ToList());
        // The lock it did take on kea-dhcp-1 is released; the other's holder keeps its own.
        Assert.Empty(Lab.RunOnServer(LabFixture.Server1, "ls -d /run/lock/keagitops 2>/dev/null").Stdout.Trim());
        Assert.Contains("alice@laptop", Lab.RunOnServer(LabFixture.Server2, "cat /run/lock/keagitops/owner").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dry_run_says_what_it_would_do_and_changes_nothing()
    {
        var pids = LabFixture.Servers.Select(DaemonPid).ToList();

        var (code, text) = Drill(LabFixture.Server2, dryRun: true);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("dry run: would take the deploy lock on both, stop kea-dhcp4 on kea-dhcp-2 (kea-lab-service stop isc-kea-dhcp4-server)", text, StringComparison.Ordinal);
        Assert.Equal(pids, LabFixture.Servers.Select(DaemonPid).ToList());
    }

    [GeneratedRegex(@"drill failover passed: kea-dhcp-2 took over within \d+\.\d s and the pair recovered within \d+\.\d s of the restart")]
    private static partial Regex PassedLine();
}
