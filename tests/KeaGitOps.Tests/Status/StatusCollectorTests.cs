using KeaGitOps.Core.Rendering;
using KeaGitOps.Remote;
using KeaGitOps.Remote.Deploy;
using KeaGitOps.Remote.Status;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Status;

/// <summary>
/// The gathering against scripted servers: a server that cannot be reached, and one whose daemon is
/// down and whose agent does not answer, are reported with the reason, each without stopping the other.
/// The lab tests prove the gathering against real Kea.
/// </summary>
public sealed class StatusCollectorTests
{
    private static List<DeployTarget> Targets()
    {
        using var copy = TempInventory.FromExample();
        copy.Append("site.yaml", "deploy:\n  status-command: probe-dhcp4\n  agent-status-command: probe-agent\n");
        var result = RenderPipeline.Default(copy.Folder).Run(copy.Folder, null, () => null);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Inventory!.Servers.Zip(result.Servers!, (s, r) => DeployTarget.For(result.Inventory, s, r)).ToList();
    }

    [Fact]
    public async Task Each_server_is_read_on_its_own_and_every_missing_part_says_why()
    {
        var targets = Targets();
        var live = targets[0].Rendered.Files.First(f => f.Name == TemplateSet.Dhcp4).Utf8;
        Task<IRemoteHost> Connect(DeployTarget target, CancellationToken cancellation) => target.Name == "kea-dhcp-2"
            ? throw new RemoteStepException("kea-dhcp-2 (192.168.1.134:22): cannot connect: HostUnreachable")
            : Task.FromResult<IRemoteHost>(new DownServer(target.Name, live));

        var statuses = await new StatusCollector(Connect, "3.0").CollectAsync(targets, CancellationToken.None);
        var verdict = StatusEvaluator.Evaluate(statuses, new StatusThresholds());

        var one = Assert.Single(statuses, s => s.Server == "kea-dhcp-1");
        Assert.Null(one.Unreachable);
        Assert.False(one.Dhcp4Active);
        Assert.True(one.AgentActive);
        Assert.Equal("3.0.4", one.KeaVersion);
        Assert.StartsWith("the control channel cannot be opened (no agent)", one.ControlProblem, StringComparison.Ordinal);
        Assert.Equal("Unchanged", one.Drift!.FileVsInventory);
        Assert.Null(one.Drift.RunningMatchesFile);
        var two = Assert.Single(statuses, s => s.Server == "kea-dhcp-2");
        Assert.Contains("HostUnreachable", two.Unreachable, StringComparison.Ordinal);
        Assert.Equal(StatusLevel.Critical, verdict.Level);
        Assert.Equal(["kea-dhcp-1: kea-dhcp4 is not running", "kea-dhcp-2: unreachable (kea-dhcp-2 (192.168.1.134:22): cannot connect: HostUnreachable)"], verdict.Findings.Select(f => f.ToString()));
    }

    /// <summary>A server whose kea-dhcp4 is stopped, whose agent runs but cannot be reached, and whose live file is the render.</summary>
    private sealed class DownServer(string name, byte[] live) : IRemoteHost
    {
        public string ServerName => name;

        public Task<CommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellation) => Task.FromResult(command switch
        {
            "probe-dhcp4" => new CommandResult(3, "inactive\n", string.Empty),
            "probe-agent" => new CommandResult(0, "active\n", string.Empty),
            _ when command.StartsWith("kea-dhcp4 -V", StringComparison.Ordinal) => new CommandResult(0, "3.0.4\n", string.Empty),
            _ => new CommandResult(127, string.Empty, $"{command}: not found"),
        });

        public Task<byte[]?> ReadFileAsync(string path, CancellationToken cancellation) =>
            Task.FromResult(path.EndsWith("/" + TemplateSet.Dhcp4, StringComparison.Ordinal) ? live : null);

        public Task WriteFileAsync(string path, byte[] content, CancellationToken cancellation) => throw new InvalidOperationException("status never writes");

        public Task<Uri> ForwardAsync(string host, int port, CancellationToken cancellation) => throw new RemoteStepException("no agent");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
