using System.Text.Json;
using System.Text.Json.Nodes;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Sources;
using KeaGitOps.Remote.Status;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Status;

/// <summary>
/// Kea 3.0.4's own answers, captured in the lab after perfdhcp traffic (Fixtures/status), read into status:
/// HA, pools, load, and the running config against the file it was loaded from.
/// </summary>
public sealed class KeaAnswersTests
{
    private static JsonElement Answer(string command) =>
        JsonDocument.Parse(File.ReadAllText(RepositoryLayout.Fixture($"status/kea3.0.4-{command}.json"))).RootElement;

    private static JsonElement LiveFile() =>
        JsonDocument.Parse(File.ReadAllText(RepositoryLayout.Fixture("status/kea3.0.4-live-kea-dhcp4.conf"))).RootElement;

    /// <summary>config-get's arguments without the hash: the config alone.</summary>
    private static JsonObject Running()
    {
        var running = JsonNode.Parse(Answer("config-get").GetRawText())!.AsObject();
        running.Remove("hash");
        return running;
    }

    private static JsonElement Element(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement;

    [Fact]
    public void Status_get_gives_the_servers_HA_state_and_what_it_sees_of_its_partner()
    {
        var ha = KeaAnswers.Ha(Answer("status-get"));

        Assert.NotNull(ha);
        Assert.Equal("load-balancing", ha.Mode);
        Assert.Equal("load-balancing", ha.State);
        Assert.Equal(["kea-dhcp-1"], ha.Scopes);
        Assert.Equal("kea-dhcp-2", ha.Partner);
        Assert.Equal("load-balancing", ha.PartnerState);
        Assert.True(ha.InTouch);
        Assert.False(ha.CommunicationInterrupted);
        Assert.Equal(0, ha.UnackedClients);
        Assert.True(KeaAnswers.Uptime(Answer("status-get")) > 0);
    }

    [Fact]
    public void Without_the_HA_hook_there_is_no_HA_status()
    {
        Assert.Null(KeaAnswers.Ha(JsonDocument.Parse("""{ "pid": 7, "uptime": 3 }""").RootElement));
    }

    [Fact]
    public void Statistics_give_each_subnets_addresses_named_by_the_running_config()
    {
        var pools = KeaAnswers.Pools(Answer("statistic-get-all"), Answer("config-get"));
        var statistics = Answer("statistic-get-all");
        long Stat(string name) => statistics.GetProperty(name)[0][0].GetInt64();

        var lab = Assert.Single(pools, p => p.Pool is null && p.Subnet == "198.18.77.0/24");
        Assert.Equal(2, lab.SubnetId);
        Assert.Equal(Stat("subnet[2].total-addresses"), lab.Total);
        Assert.Equal(Stat("subnet[2].assigned-addresses"), lab.Assigned);
        Assert.True(lab.Assigned > 0, "the capture was taken after perfdhcp traffic");
        Assert.Equal(Math.Round(100.0 * lab.Assigned / lab.Total, 1), lab.PercentUsed);
        var home = Assert.Single(pools, p => p.Pool is null && p.Subnet == "192.168.1.0/24");
        Assert.Equal(Stat("subnet[1].total-addresses"), home.Total);
        // Kea counts pools by pool-id: without one set, every pool of a subnet is pool 0, all its ranges.
        var labPool = Assert.Single(pools, p => p.SubnetId == 2 && p.Pool == 0);
        Assert.Equal(lab.Total, labPool.Total);
        Assert.Contains("198.18.77.10-198.18.77.14", labPool.Range, StringComparison.Ordinal);
    }

    [Fact]
    public void Statistics_give_the_servers_cumulative_load()
    {
        var load = KeaAnswers.Load(Answer("statistic-get-all"));
        var statistics = Answer("statistic-get-all");

        Assert.Equal(statistics.GetProperty("pkt4-ack-sent")[0][0].GetInt64(), load.AcksSent);
        Assert.True(load.AcksSent > 0);
        Assert.Equal(statistics.GetProperty("pkt4-received")[0][0].GetInt64(), load.PacketsReceived);
    }

    [Fact]
    public void An_interval_is_the_difference_of_two_readings_and_a_restart_counts_from_zero()
    {
        var before = new LoadCounters(10, 12, 40, 10);

        Assert.Equal(new LoadCounters(5, 6, 20, 5), new LoadCounters(15, 18, 60, 15).Minus(before));
        Assert.Equal(new LoadCounters(3, 3, 6, 3), new LoadCounters(3, 3, 6, 3).Minus(before));
    }

    [Fact]
    public void The_running_config_Kea_loaded_from_the_file_matches_it_despite_Kea_spelling_it_its_own_way()
    {
        // Kea reorders reservations, writes pools without spaces, adds every default and renames control-socket.
        Assert.Empty(RunningConfigDrift.Compare(LiveFile(), Element(Running())));
    }

    [Fact]
    public void A_setting_changed_through_the_API_is_a_drift_naming_both_values()
    {
        var running = Running();
        running["Dhcp4"]!["valid-lifetime"] = 7200;

        var drift = RunningConfigDrift.Compare(LiveFile(), Element(running));

        Assert.Equal(["Dhcp4.valid-lifetime: file 86400, running 7200"], drift);
    }

    [Fact]
    public void A_reservation_added_at_run_time_or_a_subnet_removed_is_a_drift_but_a_default_Kea_adds_is_not()
    {
        var running = Running();
        var subnets = running["Dhcp4"]!["subnet4"]!.AsArray();
        var home = subnets.Single(s => s!["id"]!.GetValue<int>() == 1)!;
        home["reservations"]!.AsArray().Add(new JsonObject { ["hw-address"] = "02:00:00:00:99:99", ["ip-address"] = "192.168.1.99" });
        subnets.Remove(subnets.Single(s => s!["id"]!.GetValue<int>() == 2));
        running["Dhcp4"]!["a-default-kea-adds"] = true;

        var drift = RunningConfigDrift.Compare(LiveFile(), Element(running));

        Assert.Equal(2, drift.Count);
        Assert.Contains(drift, d => d.Contains("02:00:00:00:99:99", StringComparison.Ordinal) && d.EndsWith("running, not in the file", StringComparison.Ordinal));
        Assert.Contains(drift, d => d.Contains("subnet4[id=2]", StringComparison.Ordinal) && d.EndsWith("in the file, not running", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_replaced_but_not_loaded_shows_as_the_provenance_only_when_settings_differ()
    {
        // The provenance alone (a new commit rendering the same settings) is no drift of what Kea does.
        var running = Running();
        running["Dhcp4"]!["user-context"]!["keagitops"]!["config-digest"] = "sha256:another-render";

        Assert.Empty(RunningConfigDrift.Compare(LiveFile(), Element(running)));
    }

    [Fact]
    public void The_live_file_reads_through_KeaConfig_with_its_provenance()
    {
        var bytes = File.ReadAllBytes(RepositoryLayout.Fixture("status/kea3.0.4-live-kea-dhcp4.conf"));
        using var read = KeaConfig.Parse(bytes, "/etc/kea/kea-dhcp4.conf", new DiskFileSource("/"));

        Assert.NotNull(read.Config);
        Assert.NotNull(read.Config.Provenance);
        Assert.False(read.Config.EditedSinceRender);
    }
}
