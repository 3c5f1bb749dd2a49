using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Remote.Deploy;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Remote;

/// <summary>Which changes deploy may apply through subnet_cmds and host_cmds without a reload or a restart, and the steps it sends.</summary>
public sealed class RuntimeChangesTests
{
    private const string Infrastructure = "reservations/infrastructure.yaml";

    /// <summary>The example, after <paramref name="live"/> if given, rendered as it is (the live config) and after <paramref name="edit"/> (the wanted one), compared as deploy compares them.</summary>
    private static List<ConfigComparison> Compare(Action<TempInventory> edit, Action<TempInventory>? live = null)
    {
        using var copy = TempInventory.FromExample();
        live?.Invoke(copy);
        return LiveComparisons.Of(copy, edit);
    }

    /// <summary>The plan (or the reason there is none) from the example after <paramref name="live"/> to it after <paramref name="edit"/> as well.</summary>
    private static (RuntimeChanges? Plan, string? Reason) PlanFrom(Action<TempInventory> live, Action<TempInventory> edit) =>
        RuntimeChanges.Plan(Compare(edit, live));

    private static void WithFloorNetwork(TempInventory copy) => copy.Append("site.yaml", FloorNetwork);

    private static void WithSecondSubnet(TempInventory copy) => copy.Replace("site.yaml", "\nsubnets:\n", "\nsubnets:\n" + SecondSubnet);

    private static RuntimeChanges PlanOf(Action<TempInventory> edit)
    {
        var (plan, reason) = RuntimeChanges.Plan(Compare(edit));
        Assert.True(plan is not null, reason);
        return plan;
    }

    [Fact]
    public void Added_removed_and_changed_reservations_become_deletes_then_adds()
    {
        var plan = PlanOf(copy =>
        {
            copy.Replace(Infrastructure, "ip-address: 192.168.1.21, hostname: nas", "ip-address: 192.168.1.121, hostname: nas");
            copy.Replace(Infrastructure, "- { hw-address: \"02:00:00:00:00:09\", ip-address: 192.168.1.30, hostname: printer }\n", "- { hw-address: \"02:00:00:00:00:99\", ip-address: 192.168.1.199, hostname: scanner }\n");
        });

        Assert.Equal((1, 1, 1), (plan.Added, plan.Removed, plan.Changed));
        Assert.Equal(
            ["delete hw-address=02:00:00:00:00:01 in subnet 1", "delete hw-address=02:00:00:00:00:09 in subnet 1", "add hw-address=02:00:00:00:00:01 in subnet 1", "add hw-address=02:00:00:00:00:99 in subnet 1"],
            plan.ReservationSteps.Select(s => s.ToString()).Order(StringComparer.Ordinal).OrderBy(s => s.StartsWith("add", StringComparison.Ordinal)).ToList());
        Assert.True(plan.ReservationSteps.TakeWhile(s => !s.Add).Count() == 2, "every delete comes before every add");
        Assert.Empty(plan.SubnetSteps);
        Assert.Equal("host_cmds", plan.By);
        var add = plan.ReservationSteps.Single(s => s.Add && s.Identity.Value == "02:00:00:00:00:99");
        Assert.Contains("\"ip-address\": \"192.168.1.199\"", add.Arguments, StringComparison.Ordinal);
        Assert.Contains("\"subnet-id\": 1 }", add.Arguments, StringComparison.Ordinal);
        Assert.Contains("\"operation-target\": \"memory\"", add.Arguments, StringComparison.Ordinal);
        Assert.Equal("""{ "subnet-id": 1, "identifier-type": "hw-address", "identifier": "02:00:00:00:00:99", "operation-target": "memory" }""", Assert.Single(add.Undo()).Arguments);
    }

    [Theory]
    [InlineData("valid-lifetime: 86400", "valid-lifetime: 90000", "Dhcp4.valid-lifetime")]
    [InlineData("heartbeat-delay: 10000", "heartbeat-delay: 5000", "hooks-libraries")]
    [InlineData("    subnet: 192.168.1.0/24\n", "    subnet: 192.168.0.0/23\n", "the prefix of subnet 1 moves")]
    public void A_change_beyond_subnet_settings_and_reservations_is_reloaded_and_says_which(string from, string to, string named)
    {
        var comparisons = Compare(copy =>
        {
            copy.Replace("site.yaml", from, to);
            copy.Replace(Infrastructure, "ip-address: 192.168.1.21, hostname: nas", "ip-address: 192.168.1.121, hostname: nas");
        });

        var (plan, reason) = RuntimeChanges.Plan(comparisons);

        Assert.Null(plan);
        Assert.Contains(named, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_Control_Agent_config_needs_a_restart()
    {
        var (plan, reason) = RuntimeChanges.Plan(Compare(copy =>
        {
            copy.Replace("site.yaml", "  port: 8001", "  port: 8002");
            copy.Replace(Infrastructure, "ip-address: 192.168.1.21, hostname: nas", "ip-address: 192.168.1.121, hostname: nas");
        }));

        Assert.Null(plan);
        Assert.Equal("the Control Agent's config changed too", reason);
    }

    [Fact]
    public void A_subnets_timer_pool_and_option_become_one_subnet4_update_sent_before_the_reservations()
    {
        var plan = PlanOf(copy =>
        {
            copy.Replace("site.yaml", "    comment: home LAN\n", "    comment: home LAN\n    valid-lifetime: 90000\n");
            copy.Replace("site.yaml", "      - 192.168.1.225 - 192.168.1.250\n", "");
            copy.Replace("site.yaml", "      routers: 192.168.1.1\n", "      routers: 192.168.1.2\n");
            copy.Replace(Infrastructure, "ip-address: 192.168.1.21, hostname: nas", "ip-address: 192.168.1.121, hostname: nas");
        });

        var subnet = Assert.Single(plan.SubnetSteps);
        Assert.Equal(("subnet4-update", 1L), (subnet.Command, subnet.SubnetId));
        Assert.IsType<SubnetStep>(plan.Steps[0]);
        Assert.Equal(2, plan.ReservationSteps.Count);
        Assert.Equal("settings of subnet 1 updated; 0 reservation(s) added, 0 removed, 1 changed", plan.Summary);
        Assert.Equal("subnet_cmds, host_cmds", plan.By);

        using var sent = System.Text.Json.JsonDocument.Parse(subnet.Arguments);
        var settings = Assert.Single(sent.RootElement.GetProperty("subnet4").EnumerateArray().ToList());
        Assert.Equal(90000, settings.GetProperty("valid-lifetime").GetInt32());
        Assert.False(settings.TryGetProperty("reservations", out _), "subnet4-update refuses reservations; they stay in Kea's host store");
        Assert.DoesNotContain("192.168.1.225", settings.GetProperty("pools").GetRawText(), StringComparison.Ordinal);
        Assert.Contains("192.168.1.2\"", settings.GetProperty("option-data").GetRawText(), StringComparison.Ordinal);

        // Undoing sends the live subnet back.
        using var undo = System.Text.Json.JsonDocument.Parse(Assert.Single(subnet.Undo()).Arguments);
        var before = undo.RootElement.GetProperty("subnet4")[0];
        Assert.False(before.TryGetProperty("valid-lifetime", out _));
        Assert.Contains("192.168.1.225", before.GetProperty("pools").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_network_subnets_update_carries_the_networks_inherited_settings_that_subnet_cmds_cannot_see()
    {
        var (plan, reason) = PlanFrom(copy => copy.Append("site.yaml", """

            shared-networks:
              - name: floor-2
                relay: { ip-addresses: [10.2.0.1] }
                renew-timer: 1800
                rebind-timer: 3600
                valid-lifetime: 7200
                subnets:
                  - { id: 20, subnet: 10.2.0.0/24, rebind-timer: 3000, pools: [10.2.0.10 - 10.2.0.200] }
                  - { id: 21, subnet: 10.2.1.0/24, pools: [10.2.1.10 - 10.2.1.200] }

            """), i => i.Replace("site.yaml", "pools: [10.2.0.10 - 10.2.0.200]", "pools: [10.2.0.20 - 10.2.0.200]"));

        Assert.True(plan is not null, reason);
        using var sent = System.Text.Json.JsonDocument.Parse(Assert.Single(plan.SubnetSteps).Arguments);
        var settings = sent.RootElement.GetProperty("subnet4")[0];
        // A config parse derives these from the network; subnet4-update would derive the global ones instead.
        Assert.Equal(7200, settings.GetProperty("valid-lifetime").GetInt32());
        Assert.Equal(1800, settings.GetProperty("renew-timer").GetInt32());
        Assert.Equal("10.2.0.1", settings.GetProperty("relay").GetProperty("ip-addresses")[0].GetString());
        // The subnet's own value stands.
        Assert.Equal(3000, settings.GetProperty("rebind-timer").GetInt32());
    }

    private const string SecondSubnet = "  - id: 9\n    subnet: 10.9.0.0/24\n    pools: [10.9.0.10 - 10.9.0.20]\n    reservations:\n      - { hw-address: \"0a:09:00:00:00:01\", ip-address: 10.9.0.5, hostname: lab-9 }\n";

    private const string FloorNetwork = """

        shared-networks:
          - name: floor-2
            renew-timer: 1800
            rebind-timer: 3600
            valid-lifetime: 7200
            subnets:
              - { id: 20, subnet: 10.2.0.0/24, pools: [10.2.0.10 - 10.2.0.200] }
              - { id: 23, subnet: 10.2.3.0/24, pools: [10.2.3.10 - 10.2.3.200] }

        """;

    [Fact]
    public void A_new_subnet_is_added_then_given_its_reservations()
    {
        var plan = PlanOf(copy => copy.Append("site.yaml", SecondSubnet));

        Assert.Equal(["add subnet 9", "add hw-address=0a:09:00:00:00:01 in subnet 9"], plan.Steps.Select(s => s.ToString()).ToList());
        Assert.Equal("subnet 9 added; 1 reservation(s) added, 0 removed, 0 changed", plan.Summary);
        var add = plan.SubnetSteps[0];
        Assert.Equal("subnet4-add", add.Command);
        Assert.DoesNotContain("reservations", add.Arguments, StringComparison.Ordinal);
        Assert.Equal("""{ "id": 9 }""", Assert.Single(add.Undo()).Arguments);
        Assert.Equal("subnet4-del", Assert.Single(add.Undo()).Command);
    }

    [Fact]
    public void A_deleted_subnet_goes_with_its_reservations_and_undoing_it_adds_both_back()
    {
        var (plan, reason) = PlanFrom(WithSecondSubnet, i => i.Replace("site.yaml", SecondSubnet, string.Empty));

        Assert.True(plan is not null, reason);
        // subnet4-del deletes the subnet's reservations itself (subnet_cmds.cc:908): no step of their own.
        Assert.Equal(["delete subnet 9"], plan.Steps.Select(s => s.ToString()).ToList());
        Assert.Equal("subnet 9 deleted", plan.Summary);
        Assert.Equal("subnet_cmds", plan.By);
        var undo = plan.Steps[0].Undo();
        Assert.Equal(["subnet4-add", "reservation-add"], undo.Select(s => s.Command).ToList());
        Assert.Contains("10.9.0.0/24", undo[0].Arguments, StringComparison.Ordinal);
        Assert.Contains("\"ip-address\": \"10.9.0.5\"", undo[1].Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subnet_renumbered_in_place_is_reloaded_since_Kea_refuses_a_second_subnet_with_its_prefix()
    {
        var (plan, reason) = PlanFrom(WithSecondSubnet, i => i.Replace("site.yaml", "  - id: 9\n", "  - id: 10\n"));

        Assert.Null(plan);
        Assert.Equal("subnet 10.9.0.0/24 is renumbered to id 10, which a reload applies", reason);
    }

    [Fact]
    public void A_deleted_network_subnet_is_put_back_into_its_network_when_undone()
    {
        var (plan, reason) = PlanFrom(WithFloorNetwork, i => i.Replace("site.yaml", "      - { id: 23, subnet: 10.2.3.0/24, pools: [10.2.3.10 - 10.2.3.200] }\n", "      - { id: 24, subnet: 10.2.4.0/24, pools: [10.2.4.10 - 10.2.4.200] }\n"));

        Assert.True(plan is not null, reason);
        Assert.Equal(["add subnet 24", "put subnet 24 into shared network floor-2", "delete subnet 23"], plan.Steps.Select(s => s.ToString()).ToList());
        Assert.Equal(["subnet4-add", "network4-subnet-add"], plan.Steps[^1].Undo().Select(s => s.Command).ToList());
        Assert.Equal("""{ "name": "floor-2", "id": 23 }""", plan.Steps[^1].Undo()[1].Arguments);
    }

    [Fact]
    public void A_subnet_added_to_a_shared_network_joins_it_with_the_networks_inherited_settings()
    {
        var (plan, reason) = PlanFrom(WithFloorNetwork, i => i.Replace("site.yaml", "      - { id: 20, subnet: 10.2.0.0/24, pools: [10.2.0.10 - 10.2.0.200] }\n", "      - { id: 20, subnet: 10.2.0.0/24, pools: [10.2.0.10 - 10.2.0.200] }\n      - { id: 21, subnet: 10.2.1.0/24, pools: [10.2.1.10 - 10.2.1.200] }\n"));

        Assert.True(plan is not null, reason);
        Assert.Equal(["add subnet 21", "put subnet 21 into shared network floor-2"], plan.Steps.Select(s => s.ToString()).ToList());
        Assert.Contains("\"valid-lifetime\": 7200", plan.SubnetSteps[0].Arguments, StringComparison.Ordinal);
        Assert.Equal("""{ "name": "floor-2", "id": 21 }""", plan.SubnetSteps[1].Arguments);
        Assert.Equal("network4-subnet-del", Assert.Single(plan.SubnetSteps[1].Undo()).Command);
    }

    [Fact]
    public void A_subnet_moved_into_a_network_a_new_network_or_a_networks_own_setting_is_reloaded()
    {
        var subnet20 = "      - { id: 20, subnet: 10.2.0.0/24, pools: [10.2.0.10 - 10.2.0.200] }\n";

        var (moved, movedReason) = PlanFrom(WithFloorNetwork, i =>
        {
            i.Replace("site.yaml", subnet20, "      - { id: 22, subnet: 10.2.2.0/24, pools: [10.2.2.10 - 10.2.2.200] }\n");
            i.Replace("site.yaml", "\nsubnets:\n", "\nsubnets:\n  - { id: 20, subnet: 10.2.0.0/24, pools: [10.2.0.10 - 10.2.0.200] }\n");
        });
        Assert.Null(moved);
        Assert.Equal("subnet 20 moves out of its shared network, which a reload applies", movedReason);

        var (network, networkReason) = PlanFrom(WithFloorNetwork, i => i.Replace("site.yaml", "    valid-lifetime: 7200\n", "    valid-lifetime: 7300\n"));
        Assert.Null(network);
        Assert.Contains("Dhcp4.shared-networks[floor-2].valid-lifetime changed", networkReason, StringComparison.Ordinal);
    }
}
