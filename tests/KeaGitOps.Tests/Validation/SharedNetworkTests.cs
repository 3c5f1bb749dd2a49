using KeaGitOps.Core.Rendering;
using KeaGitOps.Remote.Deploy;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Validation;

/// <summary>
/// Shared networks: their subnets are checked as every subnet is (ids and overlaps across the inventory,
/// reservations files), their timers are inherited, their Kea keys are checked, and a reservation change in
/// one of their subnets still applies at runtime.
/// </summary>
public sealed class SharedNetworkTests
{
    private const string Site = "site.yaml";

    private const string Network = """

        shared-networks:
          - name: floor-2
            relay: { ip-addresses: [10.2.0.1] }
            renew-timer: 1800
            rebind-timer: 3600
            valid-lifetime: 7200
            subnets:
              - id: 20
                subnet: 10.2.0.0/24
                pools: [10.2.0.10 - 10.2.0.200]
                reservations:
                  - { hw-address: "0a:02:00:00:00:01", ip-address: 10.2.0.5, hostname: floor2-printer }

        """;

    private static TempInventory WithNetwork(string network = Network)
    {
        var inventory = TempInventory.FromExample();
        inventory.Append(Site, network);
        return inventory;
    }

    [Fact]
    public void A_shared_network_with_its_subnet_validates_and_renders_inside_the_network()
    {
        using var inventory = WithNetwork();

        var result = RenderPipeline.Default(inventory.Folder).Run(inventory.Folder, null, () => null);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var config = result.Servers![0].File(TemplateSet.Dhcp4).Text;
        using var document = System.Text.Json.JsonDocument.Parse(config);
        var network = Assert.Single(document.RootElement.GetProperty("Dhcp4").GetProperty("shared-networks").EnumerateArray());
        Assert.Equal("floor-2", network.GetProperty("name").GetString());
        Assert.Equal("10.2.0.1", network.GetProperty("relay").GetProperty("ip-addresses")[0].GetString());
        var subnet = Assert.Single(network.GetProperty("subnet4").EnumerateArray());
        Assert.Equal(20, subnet.GetProperty("id").GetInt32());
        Assert.Equal(2, subnet.GetProperty("pools").GetArrayLength()); // split between the servers, as any subnet's
        Assert.DoesNotContain(document.RootElement.GetProperty("Dhcp4").GetProperty("subnet4").EnumerateArray(), s => s.GetProperty("id").GetInt32() == 20);
    }

    [Fact]
    public void A_network_name_used_twice_is_KGO226_naming_the_first()
    {
        using var inventory = WithNetwork(Network + "  - name: floor-2\n    subnets: []\n");

        var result = inventory.Validate();

        var error = result.AssertReportedOnce("KGO226");
        Assert.StartsWith("shared network 'floor-2' is already defined at site.yaml:", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("; give each network its own name, or move these subnets under the first.", error.Message, StringComparison.Ordinal);
        Assert.True(error.Location.Line > Assert.Single(error.Related).Line, "reported at the second, naming the first");
    }

    [Fact]
    public void A_network_with_one_subnet_is_KGO227_and_with_two_is_not()
    {
        using var one = WithNetwork();
        using var two = WithNetwork(Network + "      - { id: 21, subnet: 10.2.1.0/24, pools: [10.2.1.10 - 10.2.1.200] }\n");

        Assert.Contains("shared network 'floor-2' has one subnet", one.Validate().AssertReportedOnce("KGO227").Message, StringComparison.Ordinal);
        Assert.DoesNotContain(two.Validate().Diagnostics, d => d.Code == "KGO227");
    }

    [Fact]
    public void Subnet_ids_and_prefixes_are_unique_across_the_top_level_and_every_network()
    {
        using var inventory = WithNetwork(Network.Replace("id: 20", "id: 1", StringComparison.Ordinal).Replace("10.2.0.", "192.168.1.", StringComparison.Ordinal));

        var result = inventory.Validate();

        Assert.Contains(result.Diagnostics, d => d.Code == "KGO209");
        Assert.Contains(result.Diagnostics, d => d.Code == "KGO207");
    }

    [Fact]
    public void A_subnet_inherits_its_networks_timers_before_the_global_ones()
    {
        // The network's rebind-timer (3600) is above the subnet's own valid-lifetime: only inheritance through the network finds it.
        using var inventory = WithNetwork(Network.Replace("subnet: 10.2.0.0/24\n", "subnet: 10.2.0.0/24\n        valid-lifetime: 3000\n", StringComparison.Ordinal));

        var result = inventory.Validate();

        var error = result.AssertReportedOnce("KGO401");
        Assert.Contains("in subnet 10.2.0.0/24, rebind-timer (3600) must be less than valid-lifetime (3000)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_networks_Kea_keys_are_checked_and_its_subnet4_is_refused_saying_where_subnets_go()
    {
        using var inventory = WithNetwork(Network.Replace("    relay:", "    relai: {}\n    subnet4: []\n    relay:", StringComparison.Ordinal));

        var result = inventory.Validate();

        Assert.Contains(result.Diagnostics, d => d.Code == "KGO101" && d.Message.Contains("did you mean 'relay'", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Code == "KGO101" && d.Message.Contains("written under its 'subnets'", StringComparison.Ordinal));
    }

    [Fact]
    public void Reservations_from_in_a_network_subnet_are_read_and_a_file_named_twice_is_one_finding()
    {
        using var inventory = WithNetwork(Network.Replace("        reservations:\n          - { hw-address: \"0a:02:00:00:00:01\", ip-address: 10.2.0.5, hostname: floor2-printer }\n", "        reservations-from: floor2.yaml\n", StringComparison.Ordinal)
            + "      - { id: 21, subnet: 10.2.1.0/24, pools: [10.2.1.10 - 10.2.1.200], reservations-from: reservations/lights.yaml }\n");
        inventory.Write("floor2.yaml", "- { hw-address: \"0a:02:00:00:00:01\", ip-address: 10.2.0.5, hostname: floor2-printer }\n");

        var result = inventory.Validate();

        Assert.Equal("floor2-printer", Assert.Single(result.Model!.SharedNetworks[0].Subnets[0].Reservations).Hostname);
        Assert.Contains(result.Diagnostics, d => d.Code == "KGO009");
    }

    [Fact]
    public void A_reservation_changed_in_a_network_subnet_applies_at_runtime()
    {
        using var inventory = WithNetwork();
        var comparisons = LiveComparisons.Of(inventory, i => i.Replace(Site, "ip-address: 10.2.0.5, hostname: floor2-printer", "ip-address: 10.2.0.6, hostname: floor2-printer"));

        var (plan, reason) = RuntimeChanges.Plan(comparisons);
        comparisons.ForEach(c => c.Dispose());

        Assert.True(plan is not null, reason);
        Assert.Equal((0, 0, 1), (plan.Added, plan.Removed, plan.Changed));
        Assert.Contains(plan.ReservationSteps, s => s.Add && s.Arguments.Contains("\"ip-address\": \"10.2.0.6\"", StringComparison.Ordinal) && s.Arguments.Contains("\"subnet-id\": 20", StringComparison.Ordinal));
    }
}
