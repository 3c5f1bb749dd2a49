using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Cli.Output;
using KeaGitOps.Remote.Status;
using KeaGitOps.Tests.Support;
using Xunit.Abstractions;

namespace KeaGitOps.Tests.Lab;

/// <summary>
/// What the status and drill lab tests share: an inventory whose subnet is the lab's own 198.51.100.0/24
/// (so the servers answer the client namespace kgo-c), keagitops status and deploy run in-process, Kea's
/// own kea-shell inside a server, perfdhcp from kgo-c, and the clean-up that leaves the lab healthy.
/// </summary>
public sealed partial class StatusLabSupport(LabFixture lab, ITestOutputHelper output)
{
    public const string LabSubnet = "198.51.100.0/24";

    /// <summary>The lab's service shim for every command status and the drill run (the lab has no systemd).</summary>
    private const string LabCommands = """

        deploy:
          restart-command: kea-lab-service restart isc-kea-dhcp4-server
          status-command: kea-lab-service is-active isc-kea-dhcp4-server
          agent-restart-command: kea-lab-service restart isc-kea-ctrl-agent
          agent-status-command: kea-lab-service is-active isc-kea-ctrl-agent
          stop-command: kea-lab-service stop isc-kea-dhcp4-server
          ha-timeout: 30
        """;

    /// <summary>The example at the lab's addresses, with the lab's subnet (a pool of 120 addresses) and fast HA timers; max-unacked-clients 0 so a stopped partner is declared down without client traffic.</summary>
    public TempInventory CreateServingInventory()
    {
        var inventory = lab.CreateLabInventory();
        inventory.Append("site.yaml", LabCommands);
        inventory.Replace("site.yaml", "heartbeat-delay: 10000", "heartbeat-delay: 1000");
        inventory.Replace("site.yaml", "max-response-delay: 60000", "max-response-delay: 4000");
        inventory.Replace("site.yaml", "max-unacked-clients: 5", "max-unacked-clients: 0");
        inventory.Replace("site.yaml", "    reservations-from: reservations/\n", """
                reservations-from: reservations/
              - id: 2
                subnet: 198.51.100.0/24
                comment: the lab's bridge, where kgo-c asks
                pools:
                  - 198.51.100.10 - 198.51.100.129
                option-data:
                  routers: 198.51.100.1

            """);
        return inventory;
    }

    /// <summary>A plain deploy: from any state the tests leave (a server stopped, a config set by hand) it repairs the pair without --force.</summary>
    public int Deploy(TempInventory inventory)
    {
        var console = new StringWriter();
        var code = DeployCommand.RunAsync(new DirectoryInfo(inventory.Folder), OutputFormat.Text, null, null, dryRun: false, force: false, console, CancellationToken.None, allowDirty: true).GetAwaiter().GetResult();
        output.WriteLine("deploy:\n" + console);
        return code;
    }

    public (int ExitCode, string Output) Status(TempInventory inventory, StatusFormat format = StatusFormat.Text, bool check = true)
    {
        var console = new StringWriter();
        var code = StatusCommand.RunAsync(new StatusRequest(new DirectoryInfo(inventory.Folder), null, null, format, check, Watch: false, TimeSpan.FromSeconds(5), new StatusThresholds()), console, CancellationToken.None).GetAwaiter().GetResult();
        output.WriteLine($"status (exit {code}):\n{console}");
        return (code, console.ToString());
    }

    public JsonElement StatusJson(TempInventory inventory) =>
        JsonDocument.Parse(Status(inventory, StatusFormat.Json, check: false).Output).RootElement;

    /// <summary>A control command run with Kea's own kea-shell inside the server (independent of keagitops' channel); ARGUMENTS is the arguments object's inside.</summary>
    public string KeaShell(string server, string command, string? argumentsFile = null) =>
        lab.RunOnServer(server, $"kea-shell --host 127.0.0.1 --port 8001 --timeout 5 --auth-user kea-api --auth-password-file /etc/kea/kea-api-password --service dhcp4 {command} <{argumentsFile ?? "/dev/null"}").Stdout;

    public string HaState(string server)
    {
        var state = HaStateRegex().Match(KeaShell(server, "ha-heartbeat"));
        return state.Success ? state.Groups[1].Value : "no answer";
    }

    /// <summary>DHCP traffic from kgo-c: CLIENTS distinct MACs from BASE, at RATE exchanges a second for SECONDS. The DHCPACKs perfdhcp received.</summary>
    public int Perfdhcp(string baseMac, int clients, int rate, int seconds)
    {
        var run = lab.RunProcess("ip", ["netns", "exec", "kgo-c", "perfdhcp", "-4", "-l", "eth0", "-r", rate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-R", clients.ToString(System.Globalization.CultureInfo.InvariantCulture), "-b", "mac=" + baseMac, "-p", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(seconds + 30));
        output.WriteLine("perfdhcp: " + run);
        // perfdhcp prints DISCOVER-OFFER, then REQUEST-ACK statistics; the second "received packets" is the ACKs.
        var received = ReceivedPackets().Matches(run.Stdout).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(received.Count >= 2, $"perfdhcp printed no REQUEST-ACK statistics: {run}");
        return received[1];
    }

    /// <summary>Leaves the lab as every lab test expects it: no lock, both daemons running the inventory's config, both load-balancing.</summary>
    public void Restore(TempInventory inventory)
    {
        foreach (var server in LabFixture.Servers)
        {
            lab.RunOnServer(server, "rm -rf /run/lock/keagitops; kea-lab-service start isc-kea-dhcp4-server; kea-lab-service start isc-kea-ctrl-agent");
        }

        Assert.Equal(ExitCodes.Success, Deploy(inventory));
        WaitForLoadBalancing();
    }

    public void WaitForLoadBalancing()
    {
        var deadline = Stopwatch.StartNew();
        while (LabFixture.Servers.Any(s => HaState(s) != "load-balancing"))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the lab did not return to load-balancing within 60 s");
            Thread.Sleep(500);
        }
    }

    [GeneratedRegex("\"state\": \"([a-z-]+)\"")]
    private static partial Regex HaStateRegex();

    [GeneratedRegex(@"^received packets: (\d+)", RegexOptions.Multiline)]
    private static partial Regex ReceivedPackets();
}

/// <summary>
/// A lab test class whose every test starts from the pair serving the lab's subnet (deployed, both
/// load-balancing) and leaves the lab that way (<see cref="StatusLabSupport.Restore"/>), whatever it did.
/// </summary>
public abstract class ServingPairLabTests : IDisposable
{
    protected ServingPairLabTests(LabFixture lab, ITestOutputHelper output)
    {
        Lab = lab;
        Output = output;
        Support = new StatusLabSupport(lab, output);
        Inventory = Support.CreateServingInventory();
        Assert.Equal(ExitCodes.Success, Support.Deploy(Inventory));
        Support.WaitForLoadBalancing();
    }

    protected LabFixture Lab { get; }

    protected ITestOutputHelper Output { get; }

    protected StatusLabSupport Support { get; }

    protected TempInventory Inventory { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        try
        {
            Support.Restore(Inventory);
        }
        finally
        {
            Inventory.Dispose();
        }
    }
}
