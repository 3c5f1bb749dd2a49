using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.Support;
using Xunit;
using static KeaGitOps.Tests.Validation.ExampleInventory;

namespace KeaGitOps.Tests.Validation;

/// <summary>
/// The rules for what Kea would do differently from what the author meant (KGO219–KGO222, KGO307), each
/// shown firing on the example inventory with one edit at its file:line:col, and not firing on the
/// nearest clean case. That the unedited example reports none of them is RuleTests' theory.
/// </summary>
public sealed class KeaBehaviourRuleTests
{
    /// <summary>The example's pools: the report's .10 - .250, split around .47, .133, .134 and .224.</summary>
    private const string Pools =
        "      - 192.168.1.10 - 192.168.1.46\n"
        + "      - 192.168.1.48 - 192.168.1.132\n"
        + "      - 192.168.1.135 - 192.168.1.223\n"
        + "      - 192.168.1.225 - 192.168.1.250\n";

    // ---- KGO219: one device by hw-address and by a client-id made from it --------------------------

    [Fact]
    public void Client_id_of_01_and_a_reserved_mac_is_the_same_device_and_never_takes_effect()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Append(Lights, "- { client-id: \"01:bc:24:11:16:c6:92\", ip-address: 192.168.1.99, hostname: influx-again }\n");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO219", Severity.Error, inventory.At(Lights, "influx-again", "\"01:bc:24:11:16:c6:92\""));
        var influxdb = inventory.At(Infrastructure, "hostname: influxdb", "\"bc:24:11:16:c6:92\"");
        Assert.Equal([influxdb], error.Related);
        Assert.Equal(
            $"client-id '01:bc:24:11:16:c6:92' is hw-address bc:24:11:16:c6:92 behind the Ethernet type 01, the client-id most clients send: the same device as influxdb ({influxdb}). "
            + "Kea looks a client up by hw-address before client-id (the default host-reservation-identifiers order), so the device gets 192.168.1.74 "
            + "and this reservation never takes effect: 192.168.1.99 is withheld from every client. Keep one reservation for the device.",
            error.Message);
        result.AssertCodes("KGO219", "KGO204");
    }

    [Theory]
    [InlineData("BC241116C692", "itself, as clients that send their MAC as client-id without the type byte do")]
    [InlineData("01BC241116C692", "behind the Ethernet type 01")]
    [InlineData("ff:00:00:00:01:00:03:00:01:bc:24:11:16:c6:92", "(ff, IAID, DUID-LL)")]
    [InlineData("ff:12:34:56:78:00:01:00:01:2a:3b:4c:5d:bc:24:11:16:c6:92", "(ff, IAID, DUID-LLT)")]
    public void Every_client_id_form_built_from_a_reserved_mac_is_the_same_device(string clientId, string how)
    {
        using var inventory = TempInventory.FromExample();
        inventory.Append(Lights, $"- {{ client-id: \"{clientId}\", hostname: influx-again }}\n");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO219", Severity.Error, inventory.At(Lights, "influx-again", $"\"{clientId}\""));
        Assert.Contains($"is hw-address bc:24:11:16:c6:92 ", error.Message, StringComparison.Ordinal);
        Assert.Contains(how, error.Message, StringComparison.Ordinal);
        Assert.Contains("never takes effect: its hostname and options are never sent", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("01:bc:24:11:16:c6:93")] // another MAC
    [InlineData("02:bc:24:11:16:c6:92")] // another hardware type
    [InlineData("ff:00:00:00:01:00:02:bc:24:11:16:c6:92")] // a DUID-EN, not built from the MAC
    [InlineData("'bc:24:11:16:c6:92'")] // a text client-id
    public void Client_id_not_built_from_a_reserved_mac_is_another_device(string clientId)
    {
        using var inventory = TempInventory.FromExample();
        inventory.Append(Lights, $"- {{ client-id: \"{clientId}\", ip-address: 192.168.1.99, hostname: someone-else }}\n");

        var result = inventory.Validate();

        result.AssertNotReported("KGO219");
        Assert.False(result.HasErrors, Findings.List(result));
    }

    [Fact]
    public void Client_id_of_a_mac_reserved_in_another_subnet_is_found_there_first()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Append(Site, "  - id: 2\n    subnet: 10.0.0.0/24\n    reservations:\n      - { client-id: \"01:bc:24:11:16:c6:92\", ip-address: 10.0.0.5, hostname: influx-lab }\n");

        var result = inventory.Validate();

        result.AssertCodes("KGO204");
    }

    // ---- KGO220 and KGO221: pools over addresses that must never be leased -------------------------

    [Fact]
    public void The_users_pool_over_both_servers_and_a_dns_server_is_an_error_that_gives_the_split()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, Pools, "      - 192.168.1.10 - 192.168.1.250\n");

        var result = inventory.Validate();

        var pool = inventory.At(Site, "- 192.168.1.10 - 192.168.1.250", "192.168.1.10");
        var error = result.AssertReported("KGO220", Severity.Error, pool);
        var dns = inventory.At(Site, "domain-name-servers:", "192.168.1.224");
        Assert.Equal(
            "pool '192.168.1.10 - 192.168.1.250' would lease 192.168.1.133 (DHCP server kea-dhcp-1's own address), 192.168.1.134 (DHCP server kea-dhcp-2's own address), "
            + $"192.168.1.224 (option domain-name-servers at {dns}) to clients: nobody reserves them, so Kea hands them out like any other pool address. "
            + "Split the pool to leave them out: '192.168.1.10 - 192.168.1.46', '192.168.1.48 - 192.168.1.132', '192.168.1.135 - 192.168.1.223', '192.168.1.225 - 192.168.1.250'.",
            error.Message);
        Assert.Equal([inventory.At(Site, "address: 192.168.1.133", "192.168.1.133"), inventory.At(Site, "address: 192.168.1.134", "192.168.1.134"), dns], error.Related);
        result.AssertReported("KGO221", Severity.Warning, pool); // .47, the CAPWAP controller, is reserved
        result.AssertCodes("KGO220", "KGO221", "KGO204");
    }

    [Fact]
    public void Whole_subnet_as_a_pool_would_lease_network_broadcast_router_servers_and_dns()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, Pools, "      - 192.168.1.0/24\n");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO220", Severity.Error, inventory.At(Site, "- 192.168.1.0/24", "192.168.1.0/24"));
        Assert.StartsWith(
            $"pool '192.168.1.0/24' would lease 192.168.1.0 (the network address), 192.168.1.1 (option routers at {inventory.At(Site, "routers:", "192.168.1.1")}), "
            + "192.168.1.133 (DHCP server kea-dhcp-1's own address), 192.168.1.134 (DHCP server kea-dhcp-2's own address), ",
            error.Message,
            StringComparison.Ordinal);
        Assert.Contains("192.168.1.253 (option domain-name-servers at ", error.Message, StringComparison.Ordinal);
        Assert.Contains(
            "192.168.1.255 (the broadcast address) to clients: nobody reserves them, so Kea hands them out like any other pool address. Split the pool to leave them out: '192.168.1.2 - 192.168.1.46', ",
            error.Message,
            StringComparison.Ordinal);
        result.AssertCodes("KGO220", "KGO221", "KGO204");
    }

    [Fact]
    public void Any_address_option_of_the_subnet_names_a_host_the_pool_must_leave_out()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "      capwap-ac-v4: 192.168.1.47\n", "      capwap-ac-v4: 192.168.1.47\n      ntp-servers: [192.168.1.253, 192.168.1.150]\n");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO220", Severity.Error, inventory.At(Site, "- 192.168.1.135 - 192.168.1.223", "192.168.1.135"));
        var ntp = inventory.At(Site, "ntp-servers:", "192.168.1.150");
        Assert.StartsWith($"pool '192.168.1.135 - 192.168.1.223' would lease 192.168.1.150 (option ntp-servers at {ntp}) to clients: nobody reserves it,", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Split the pool to leave it out: '192.168.1.135 - 192.168.1.149', '192.168.1.151 - 192.168.1.223'.", error.Message, StringComparison.Ordinal);
        Assert.Equal([ntp], error.Related);
        result.AssertCodes("KGO220", "KGO204");
    }

    [Fact]
    public void Address_options_that_name_no_host_are_not_infrastructure()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "      capwap-ac-v4: 192.168.1.47\n", "      capwap-ac-v4: 192.168.1.47\n      router-solicitation-address: 192.168.1.150\n      subnet-mask: 255.255.255.0\n");

        var result = inventory.Validate();

        result.AssertCodes("KGO204");
    }

    [Fact]
    public void Pool_over_a_reserved_service_address_is_a_warning_naming_the_reservation()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "      - 192.168.1.10 - 192.168.1.46\n      - 192.168.1.48 - 192.168.1.132\n", "      - 192.168.1.10 - 192.168.1.132\n");

        var result = inventory.Validate();

        var warning = result.AssertReported("KGO221", Severity.Warning, inventory.At(Site, "- 192.168.1.10 - 192.168.1.132", "192.168.1.10"));
        var capwap = inventory.At(Site, "capwap-ac-v4:", "192.168.1.47");
        Assert.Equal(
            $"pool '192.168.1.10 - 192.168.1.132' covers 192.168.1.47 (option capwap-ac-v4 at {capwap}), reserved for aruba-ap at {inventory.At(Infrastructure, "aruba-ap", "192.168.1.47")}. "
            + "Kea withholds a reserved address from other clients, so this works only while the reservation stays: delete it or change its address and Kea leases the address to any client. "
            + "Split the pool to leave it out: '192.168.1.10 - 192.168.1.46', '192.168.1.48 - 192.168.1.132'.",
            warning.Message);
        Assert.Equal([capwap], warning.Related);
        result.AssertCodes("KGO221", "KGO204");
    }

    [Fact]
    public void Reserved_server_address_in_a_pool_is_reported_once_on_the_reservation()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "      - 192.168.1.135 - 192.168.1.223\n", "      - 192.168.1.134 - 192.168.1.223\n");
        inventory.Replace(Lights, "192.168.1.48", "192.168.1.134");

        var result = inventory.Validate();

        result.AssertReported("KGO216", Severity.Error, inventory.At(Lights, "bulb-porch", "192.168.1.134"));
        result.AssertCodes("KGO216", "KGO204");
    }

    // ---- KGO222: pools exhausted by reservations (Stork's address_pools_exhausted_by_reservations) ----

    [Fact]
    public void Pool_whose_every_address_is_reserved_is_exhausted()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "      - 192.168.1.225 - 192.168.1.250\n", "      - 192.168.1.225 - 192.168.1.250\n      - 192.168.1.251 - 192.168.1.252\n");
        inventory.Append(Lights, "- { hw-address: \"02:00:00:00:09:01\", ip-address: 192.168.1.251, hostname: spare-1 }\n- { hw-address: \"02:00:00:00:09:02\", ip-address: 192.168.1.252, hostname: spare-2 }\n");

        var result = inventory.Validate();

        var warning = result.AssertReported("KGO222", Severity.Warning, inventory.At(Site, "- 192.168.1.251 - 192.168.1.252", "192.168.1.251"));
        Assert.Equal(
            "all 2 address(es) of pool '192.168.1.251 - 192.168.1.252' are reserved, so a client without a reservation gets no address from it; widen the pool or move reservations out of it.",
            warning.Message);
        result.AssertCodes("KGO222", "KGO204");
    }

    [Fact]
    public void Load_balancing_server_whose_every_half_is_reserved_leaves_its_clients_without_an_address()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, Pools, "      - 192.168.1.10 - 192.168.1.46\n");

        var result = inventory.Validate();

        // .10 - .28 is the primary's (12 of 19 reserved), .29 - .46 the secondary's (all 18 reserved).
        var warning = result.AssertReported("KGO222", Severity.Warning, inventory.At(Site, "- 192.168.1.10 - 192.168.1.46", "192.168.1.10"));
        Assert.StartsWith(
            "in load-balancing, kea-dhcp-2 serves '192.168.1.29 - 192.168.1.46' of subnet 192.168.1.0/24, and all 18 of those addresses are reserved: while both servers are up, kea-dhcp-2's clients without a reservation get no address in this subnet.",
            warning.Message,
            StringComparison.Ordinal);
        result.AssertCodes("KGO222", "KGO204");
    }

    [Fact]
    public void One_full_half_is_harmless_while_the_server_has_free_halves_of_other_pools()
    {
        // The example's first pool has the same full upper half as above, beside three more pools.
        using var inventory = TempInventory.FromExample();

        var result = inventory.Validate();

        Assert.Contains("      - 192.168.1.10 - 192.168.1.46\n", inventory.Read(Site), StringComparison.Ordinal);
        result.AssertCodes("KGO204");
    }

    [Fact]
    public void Hot_standby_checks_only_whole_pools()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "mode: load-balancing", "mode: hot-standby");
        inventory.Replace(Site, "role: secondary", "role: standby");
        inventory.Replace(Site, Pools, "      - 192.168.1.10 - 192.168.1.46\n");

        var result = inventory.Validate();

        result.AssertCodes("KGO204");
    }

    // ---- KGO307: the Control Agent over plain HTTP (Stork's agent_credentials_over_https) ----------

    [Fact]
    public void Agent_with_a_password_on_a_network_address_sends_it_in_clear_text()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "control-agent:\n  port: 8001\n", "control-agent:\n  host: 192.168.1.133\n  port: 8001\n");

        var result = inventory.Validate();

        var warning = result.AssertReported("KGO307", Severity.Warning, inventory.At(Site, "host: 192.168.1.133", "192.168.1.133"));
        Assert.StartsWith("the Control Agent listens on 192.168.1.133:8001 over plain HTTP with basic authentication, so its password crosses the network in clear text", warning.Message, StringComparison.Ordinal);
        // One address for both agents is also kea-dhcp-2's agent binding kea-dhcp-1's address (KGO308).
        result.AssertCodes("KGO307", "KGO308", "KGO204");
    }

    [Fact]
    public void Agent_without_a_password_on_a_network_address_lets_anyone_reconfigure_the_server()
    {
        using var inventory = TempInventory.FromExample();
        var site = inventory.Read(Site).ReplaceLineEndings("\n");
        var start = site.IndexOf("control-agent:\n", StringComparison.Ordinal);
        var end = site.IndexOf("\ncontrol-socket:", StringComparison.Ordinal);
        inventory.Write(Site, site[..start] + "control-agent:\n  host: 0.0.0.0\n  port: 8001\n" + site[end..]);

        var result = inventory.Validate();

        var warning = result.AssertReported("KGO307", Severity.Warning, inventory.At(Site, "host: 0.0.0.0", "0.0.0.0"));
        Assert.StartsWith("the Control Agent listens on 0.0.0.0:8001 over plain HTTP without authentication: anyone who reaches that port can reconfigure or shut down the DHCP server.", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.1.1")]
    public void Agent_on_loopback_keeps_its_traffic_on_the_server(string host)
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "control-agent:\n  port: 8001\n", $"control-agent:\n  host: {host}\n  port: 8001\n");

        var result = inventory.Validate();

        result.AssertCodes("KGO204");
    }

    // ---- KGO308: a Control Agent told to bind another server's address ------------------------------

    [Fact]
    public void One_agent_address_for_the_pair_that_is_one_servers_own_cannot_start_on_the_other()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "control-agent:\n  port: 8001\n", "control-agent:\n  host: 192.168.1.133\n  port: 8001\n");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO308", Severity.Error, inventory.At(Site, "host: 192.168.1.133", "192.168.1.133"));
        Assert.StartsWith("the Control Agent of kea-dhcp-2 would listen on 192.168.1.133, which is kea-dhcp-1's address", error.Message, StringComparison.Ordinal);
        Assert.Single(result.Diagnostics, d => d.Code == "KGO308");
    }

    [Fact]
    public void A_servers_own_agent_address_naming_its_partner_is_refused_at_that_server()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "    role: secondary\n", "    role: secondary\n    control-agent: { host: 192.168.1.133 }\n");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO308", Severity.Error, inventory.At(Site, "control-agent: { host: 192.168.1.133 }", "192.168.1.133"));
        Assert.Contains("kea-dhcp-2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_agent_on_its_own_servers_address_is_fine_and_rendered_per_server()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "    role: primary\n", "    role: primary\n    control-agent: { host: 192.168.1.133 }\n");
        inventory.Replace(Site, "    role: secondary\n", "    role: secondary\n    control-agent: { host: 192.168.1.134 }\n");

        var result = RenderPipeline.Default(inventory.Folder).Run(inventory.Folder, null, () => null);

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "KGO308");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        foreach (var (server, address) in new[] { ("kea-dhcp-1", "192.168.1.133"), ("kea-dhcp-2", "192.168.1.134") })
        {
            using var agent = System.Text.Json.JsonDocument.Parse(result.Servers!.Single(s => s.Name == server).File(TemplateSet.ControlAgent).Text);
            Assert.Equal(address, agent.RootElement.GetProperty("Control-agent").GetProperty("http-host").GetString());
        }
    }
}
