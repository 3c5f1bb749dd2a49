using System.Text.Json;
using KeaGitOps.Cli;
using KeaGitOps.Cli.Output;
using KeaGitOps.Tests.Status;
using KeaGitOps.Tests.Support;
using Xunit.Abstractions;

namespace KeaGitOps.Tests.Lab;

/// <summary>
/// keagitops status against the lab's real Kea 3.0 pair: leases and the load split after perfdhcp traffic,
/// drift of the running config (config-set) and of the file (a hand edit), a server down, and the
/// Prometheus output read back by the Prometheus project's parser.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class StatusLabTests(LabFixture lab, ITestOutputHelper output) : ServingPairLabTests(lab, output)
{
    private static JsonElement Server(JsonElement status, string name) =>
        status.GetProperty("servers").EnumerateArray().Single(s => s.GetProperty("server").GetString() == name);

    private static JsonElement LabSubnet(JsonElement server) =>
        server.GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("subnet").GetString() == StatusLabSupport.LabSubnet && p.GetProperty("pool").ValueKind == JsonValueKind.Null);

    [Fact]
    public void After_perfdhcp_traffic_the_leases_match_what_it_received_and_both_servers_gave_some()
    {
        var before = Support.StatusJson(Inventory);
        // Twelve clients (a base MAC of this run's own) asking 150 times: every one gets a lease, most renew it.
        var baseMac = $"02:6b:{Random.Shared.Next(256):x2}:{Random.Shared.Next(256):x2}:00:00";

        var acked = Support.Perfdhcp(baseMac, clients: 12, rate: 50, seconds: 3);

        var after = Support.StatusJson(Inventory);
        Assert.True(acked > 12, $"perfdhcp received {acked} ACKs");
        var acksGiven = 0L;
        foreach (var name in LabFixture.Servers)
        {
            var (then, now) = (Server(before, name), Server(after, name));
            var given = now.GetProperty("load").GetProperty("acksSent").GetInt64() - then.GetProperty("load").GetProperty("acksSent").GetInt64();
            Assert.True(given > 0, $"{name} gave no lease: the load split must show both servers");
            acksGiven += given;
            // Each server counts every lease of the pair (the partner's arrive as lease updates).
            var subnet = LabSubnet(now);
            Assert.Equal(120, subnet.GetProperty("total").GetInt64());
            Assert.Equal(12, subnet.GetProperty("assigned").GetInt64() - LabSubnet(then).GetProperty("assigned").GetInt64());
            Assert.Equal(Math.Round(100.0 * (subnet.GetProperty("assigned").GetInt64() + subnet.GetProperty("declined").GetInt64()) / 120, 1), subnet.GetProperty("percentUsed").GetDouble());
        }

        Assert.Equal(acked, acksGiven);
        var (code, text) = Support.Status(Inventory);
        Assert.Equal(ExitCodes.Success, code);
        Assert.StartsWith("KEAGITOPS OK - healthy: load-balancing on both", text, StringComparison.Ordinal);
        Assert.Matches(@"load split \(since each daemon started\): kea-dhcp-1 \d+ acks \(\d+ %\), kea-dhcp-2 \d+ acks \(\d+ %\)", text);
        Assert.Contains("198.51.100.0/24", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_set_through_the_agent_is_a_drift_of_the_running_config_naming_the_setting()
    {
        // As Stork (or a person) would: read the running config, change a value, set it.
        Lab.RunOnServer(LabFixture.Server2, "kea-shell --host 127.0.0.1 --port 8001 --timeout 5 --auth-user kea-api --auth-password-file /etc/kea/kea-api-password --service dhcp4 config-get </dev/null"
            + " | python3 -c 'import json,sys; a=json.load(sys.stdin)[0][\"arguments\"]; a.pop(\"hash\",None); a[\"Dhcp4\"][\"valid-lifetime\"]=7200; print(json.dumps(a)[1:-1])' >/tmp/config-set.json");
        Assert.Contains("\"result\": 0", Support.KeaShell(LabFixture.Server2, "config-set", "/tmp/config-set.json"), StringComparison.Ordinal);
        // config-set reconfigures the HA hook too: the pair passes through waiting and syncing (a WARNING of its own) first.
        Support.WaitForLoadBalancing();

        int code;
        string text;
        try
        {
            (code, text) = Support.Status(Inventory);
        }
        finally
        {
            // The file is unchanged, so the restoring deploy would restart nothing: reload the file here.
            Lab.RunOnServer(LabFixture.Server2, "kea-lab-service restart isc-kea-dhcp4-server");
        }

        Assert.Equal(ExitCodes.CheckWarning, code);
        Assert.StartsWith("KEAGITOPS WARNING - kea-dhcp-2: the running config differs from kea-dhcp4.conf (Dhcp4.valid-lifetime: file 86400, running 7200)", text, StringComparison.Ordinal);
        Assert.Contains("running != file (1)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("kea-dhcp-1: the running config", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hand_edit_of_the_file_shows_against_the_inventory_its_own_digest_and_the_running_config()
    {
        Lab.RunOnServer(LabFixture.Server1, "sed -i 's/\"valid-lifetime\": 86400/\"valid-lifetime\": 3600/' /etc/kea/kea-dhcp4.conf");

        var (code, text) = Support.Status(Inventory);
        var json = Support.StatusJson(Inventory);

        Assert.Equal(ExitCodes.CheckWarning, code);
        Assert.Contains("kea-dhcp-1: the live kea-dhcp4.conf differs from what the inventory renders now (1 change)", text, StringComparison.Ordinal);
        Assert.Contains("kea-dhcp-1: the live kea-dhcp4.conf was edited by hand since keagitops rendered it", text, StringComparison.Ordinal);
        Assert.Contains("kea-dhcp-1: running config: Dhcp4.valid-lifetime: file 3600, running 86400", text, StringComparison.Ordinal);
        var drift = Server(json, LabFixture.Server1).GetProperty("drift");
        Assert.Equal("Changed", drift.GetProperty("fileVsInventory").GetString());
        Assert.True(drift.GetProperty("editedByHand").GetBoolean());
        Assert.Equal("Unchanged", Server(json, LabFixture.Server2).GetProperty("drift").GetProperty("fileVsInventory").GetString());
    }

    [Fact]
    public void A_server_whose_kea_dhcp4_is_down_is_CRITICAL_exit_2()
    {
        Lab.RunOnServer(LabFixture.Server2, "kea-lab-service stop isc-kea-dhcp4-server");

        var (code, text) = Support.Status(Inventory);

        Assert.Equal(ExitCodes.CheckCritical, code);
        Assert.StartsWith("KEAGITOPS CRITICAL - kea-dhcp-2: kea-dhcp4 is not running", text, StringComparison.Ordinal);
        Assert.Contains("kea-dhcp-2  198.51.100.134  DOWN", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Prometheus_output_of_the_live_pair_parses_with_the_real_client_library()
    {
        var (code, text) = Support.Status(Inventory, StatusFormat.Prometheus);

        var samples = StatusOutputTests.ParseWithPrometheusClient(text);

        Assert.Equal(ExitCodes.Success, code);
        foreach (var server in LabFixture.Servers)
        {
            Assert.Contains($"gauge keagitops_up{{server=\"{server}\"}} 1.0", samples, StringComparison.Ordinal);
            Assert.Contains($"gauge keagitops_ha_state{{server=\"{server}\",state=\"load-balancing\"}} 1.0", samples, StringComparison.Ordinal);
            Assert.Contains($"gauge keagitops_subnet_total_addresses{{server=\"{server}\",subnet=\"198.51.100.0/24\",subnet_id=\"2\"}} 120.0", samples, StringComparison.Ordinal);
            Assert.Contains($"gauge keagitops_config_drift{{kind=\"running\",server=\"{server}\"}} 0.0", samples, StringComparison.Ordinal);
            Assert.Matches($"counter keagitops_dhcp4_acks_sent_total{{server=\"{server}\"}} \\d+\\.0", samples);
        }

        Assert.Contains("gauge keagitops_status{} 0.0", samples, StringComparison.Ordinal);
    }
}
