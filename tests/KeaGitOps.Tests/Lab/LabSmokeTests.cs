using System.Diagnostics;
using System.Text.RegularExpressions;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Lab;

/// <summary>
/// Proves the SSH test lab is what the deploy tests will rely on: two reachable sshd with the host keys
/// known_hosts names, separate Kea file trees, real Kea 3.0, a healthy load-balancing HA pair, and the
/// service shim the inventory's restart command names.
/// </summary>
[Collection(LabCollection.Name)]
public sealed partial class LabSmokeTests(LabFixture lab)
{
    public static TheoryData<string> Servers() => [.. LabFixture.Servers];

    [Theory]
    [MemberData(nameof(Servers))]
    public void Sshd_answers_with_the_host_key_in_known_hosts(string server)
    {
        var address = LabFixture.Address(server);
        var knownHosts = File.ReadAllLines(lab.KnownHostsPath);
        Assert.Contains(knownHosts, line => line.StartsWith(address + " ssh-ed25519 AAAA", StringComparison.Ordinal));

        // StrictHostKeyChecking=yes against the lab's known_hosts only: a different host key fails.
        var result = lab.RunProcess("ssh", [.. lab.SshOptions(), "root@" + address, "true"], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, $"ssh root@{address} true: {result}");

        var hostname = lab.Ssh(server, "hostname; ip -o -4 addr show dev eth0");
        Assert.True(hostname.ExitCode == 0, hostname.ToString());
        Assert.StartsWith(server + "\n", hostname.Stdout, StringComparison.Ordinal);
        Assert.Contains($"inet {address}/24", hostname.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_host_key_is_refused()
    {
        // The two servers' keys swapped: each must be refused under strict checking.
        var lines = File.ReadAllLines(lab.KnownHostsPath);
        var swapped = Path.Combine(lab.LabDirectory, "known_hosts.swapped-" + Guid.NewGuid().ToString("N"));
        File.WriteAllLines(swapped, [$"{LabFixture.Address(LabFixture.Server1)} {KeyOf(lines, LabFixture.Server2)}"]);
        try
        {
            var options = lab.SshOptions().Select(o => o.StartsWith("UserKnownHostsFile=", StringComparison.Ordinal) ? "UserKnownHostsFile=" + swapped : o);
            var result = lab.RunProcess("ssh", [.. options, "root@" + LabFixture.Address(LabFixture.Server1), "true"], TimeSpan.FromSeconds(30));
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("HOST IDENTIFICATION HAS CHANGED", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(swapped);
        }
    }

    [Fact]
    public void Each_server_has_its_own_etc_kea()
    {
        var marker = "lab-marker-" + Guid.NewGuid().ToString("N");
        var write = lab.Ssh(LabFixture.Server1, $"echo {marker} > /etc/kea/{marker} && ls /etc/kea");
        Assert.True(write.ExitCode == 0, write.ToString());
        try
        {
            Assert.Equal(marker + "\n", lab.ReadServerFile(LabFixture.Server1, "/etc/kea/" + marker));
            var onOther = lab.RunOnServer(LabFixture.Server2, $"test -e /etc/kea/{marker}");
            Assert.True(onOther.ExitCode == 1, $"the marker written on {LabFixture.Server1} is visible on {LabFixture.Server2}: {onOther}");
            Assert.Contains("\"this-server-name\": \"kea-dhcp-2\"", lab.ReadServerFile(LabFixture.Server2, "/etc/kea/kea-dhcp4.conf"), StringComparison.Ordinal);
            Assert.Contains("\"this-server-name\": \"kea-dhcp-1\"", lab.ReadServerFile(LabFixture.Server1, "/etc/kea/kea-dhcp4.conf"), StringComparison.Ordinal);
        }
        finally
        {
            lab.RunOnServer(LabFixture.Server1, $"rm -f /etc/kea/{marker}");
        }
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public void Kea_over_ssh_is_3_0_and_accepts_the_seeded_config(string server)
    {
        var version = lab.Ssh(server, "kea-dhcp4 -V");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Matches(@"^3\.0\.\d+", version.Stdout);

        var check = lab.Ssh(server, "kea-dhcp4 -t /etc/kea/kea-dhcp4.conf && kea-ctrl-agent -t /etc/kea/kea-ctrl-agent.conf");
        Assert.True(check.ExitCode == 0, check.ToString());
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public void Kea_daemons_run_as_kea_and_the_shim_says_active(string server)
    {
        var active = lab.Ssh(server, "kea-lab-service is-active isc-kea-dhcp4-server && kea-lab-service is-active isc-kea-ctrl-agent");
        Assert.True(active.ExitCode == 0, active.ToString());
        Assert.Equal("active\nactive\n", active.Stdout);

        // Each server sees only its own processes (own pid namespace), run as _kea like Debian's units.
        var processes = lab.Ssh(server, "ps -eo user=,comm=");
        Assert.True(processes.ExitCode == 0, processes.ToString());
        var lines = processes.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Regex.Replace(l.Trim(), @"\s+", " ")).ToList();
        Assert.Single(lines, "_kea kea-dhcp4");
        Assert.Single(lines, "_kea kea-ctrl-agent");
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public void Both_servers_are_in_a_healthy_load_balancing_HA_state(string server)
    {
        var deadline = Stopwatch.StartNew();
        LabCommandResult heartbeat;
        do
        {
            heartbeat = lab.RunOnServer(server, HaHeartbeat);
            if (HaState().Match(heartbeat.Stdout) is { Success: true } state && state.Groups[1].Value == "load-balancing")
            {
                Assert.Contains("\"result\": 0", heartbeat.Stdout, StringComparison.Ordinal);
                return;
            }

            Thread.Sleep(250);
        }
        while (deadline.Elapsed < TimeSpan.FromSeconds(20));

        Assert.Fail($"{server} is not in the load-balancing state: {heartbeat}");
    }

    [Fact]
    public void The_lab_inventory_validates_and_points_at_the_lab()
    {
        using var inventory = lab.CreateLabInventory();
        var site = inventory.Read("site.yaml");
        Assert.Contains("address: 198.51.100.133", site, StringComparison.Ordinal);
        Assert.Contains("address: 198.51.100.134", site, StringComparison.Ordinal);
        Assert.Contains("known-hosts: " + lab.KnownHostsPath, site, StringComparison.Ordinal);
        Assert.Contains("key-file: " + lab.ClientKeyPath, site, StringComparison.Ordinal);
        var result = inventory.Validate();
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
    }

    /// <summary>The Control Agent queried from inside a server, as the deploy will: Kea's own kea-shell, the password file on the server.</summary>
    private const string HaHeartbeat =
        "kea-shell --host 127.0.0.1 --port 8001 --timeout 5 --auth-user kea-api --auth-password-file /etc/kea/kea-api-password --service dhcp4 ha-heartbeat </dev/null";

    private static string KeyOf(IEnumerable<string> knownHosts, string server)
    {
        var address = LabFixture.Address(server) + " ";
        return knownHosts.Single(l => l.StartsWith(address, StringComparison.Ordinal))[address.Length..];
    }

    [GeneratedRegex("\"state\": *\"([^\"]+)\"")]
    private static partial Regex HaState();
}
