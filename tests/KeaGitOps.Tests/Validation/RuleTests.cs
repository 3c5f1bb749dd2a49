using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Validation;
using KeaGitOps.Tests.Support;
using Xunit;
using static KeaGitOps.Tests.Validation.ExampleInventory;

namespace KeaGitOps.Tests.Validation;

/// <summary>
/// Every rule code from KGO001 to KGO5xx, each shown firing on the example inventory with one edit
/// (code, severity, file:line:col), and each shown absent from the unedited example.
/// </summary>
public sealed class RuleTests
{
    private const string Pool = "      - 192.168.1.10 - 192.168.1.46";

    private static readonly Lazy<ValidationResult> Example = new(() =>
        TempInventory.Validate(RepositoryLayout.ExampleInventory, RepositoryLayout.Root));

    public static TheoryData<string> CodesBeforeRendering()
    {
        var codes = new TheoryData<string>();
        foreach (var rule in DiagnosticCatalogue.Rules.Where(r => string.CompareOrdinal(r.Code, "KGO6") < 0 && r.Code != "KGO204"))
        {
            codes.Add(rule.Code);
        }

        return codes;
    }

    // ---- The example inventory ----------------------------------------------------------------

    [Fact]
    public void Example_inventory_reports_only_the_pool_warning_on_the_pool_line()
    {
        var result = Example.Value;

        var only = Assert.Single(result.Diagnostics);
        Assert.Equal("KGO204", only.Code);
        Assert.Equal(Severity.Warning, only.Severity);
        Assert.Equal(new SourceLocation("inventory/site.yaml", 58, 9), only.Location);
        Assert.False(result.HasErrors);
    }

    [Theory]
    [MemberData(nameof(CodesBeforeRendering))]
    public void Example_inventory_does_not_report(string code) => Example.Value.AssertNotReported(code);

    // ---- Loading: KGO0xx -------------------------------------------------------------------------

    [Fact]
    public void Yaml_syntax_error_is_reported_with_its_line_and_stops_validation()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "  max-ack-delay: 5000", "  max-ack-delay: 5000: 6000");

        var result = inventory.Validate();

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("KGO001", error.Code);
        Assert.Equal(Severity.Error, error.Severity);
        Assert.Equal((Site, inventory.At(Site, "max-ack-delay").Line), (error.Location.File, error.Location.Line));
        Assert.StartsWith("YAML syntax error: ", error.Message, StringComparison.Ordinal);
        Assert.Null(result.Model);
        Assert.True(result.HasErrors);
    }

    [Fact]
    public void Yaml_syntax_error_in_a_reservations_file_does_not_hide_other_findings()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Append(Lights, "- { hw-address: \"02:00:00:00:00:99\", ip-address: 192.168.1.99\n");

        var result = inventory.Validate();

        Assert.Equal(Lights, result.AssertReportedOnce("KGO001").Location.File);
        result.AssertReportedOnce("KGO204");
        Assert.NotNull(result.Model);
    }

    [Fact]
    public void Duplicate_key_in_one_file_names_both_places()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "  port: 8000\n", "  port: 8000\n  port: 8002\n");

        var result = inventory.Validate();

        var duplicate = result.AssertReported("KGO002", Severity.Error, inventory.At(Site, "port: 8002", "port"));
        var first = inventory.At(Site, "port: 8000", "port");
        Assert.Equal([first], duplicate.Related);
        Assert.Contains($"key 'port' is given twice (first at {first})", duplicate.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO002", "KGO204");
    }

    [Fact]
    public void Same_top_level_key_in_two_files_names_both_files()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Write("timers.yaml", "# shorter leases for testing\nvalid-lifetime: 7200\n");

        var result = inventory.Validate();

        var duplicate = result.AssertReported("KGO002", Severity.Error, new SourceLocation("timers.yaml", 2, 1));
        var first = inventory.At(Site, "valid-lifetime: 86400", "valid-lifetime");
        Assert.Equal([first], duplicate.Related);
        Assert.Contains("site.yaml:47:1", duplicate.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO002", "KGO204");
    }

    [Fact]
    public void Missing_inventory_folder_is_reported_without_a_file()
    {
        using var inventory = TempInventory.FromFiles(new Dictionary<string, string>());

        var result = TempInventory.Validate(Path.Combine(inventory.Folder, "no-such-folder"), inventory.Folder);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(("KGO003", Severity.Error, SourceLocation.None), (error.Code, error.Severity, error.Location));
        Assert.Contains("'no-such-folder' does not exist", error.Message, StringComparison.Ordinal);
        Assert.True(result.HasErrors);
    }

    [Fact]
    public void Inventory_folder_without_yaml_files_is_reported()
    {
        using var inventory = TempInventory.FromFiles(new Dictionary<string, string> { ["notes.txt"] = "servers: []\n" });

        var result = inventory.Validate();

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("KGO003", error.Code);
        Assert.Contains("has no *.yaml or *.yml files", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reservations_file_holding_a_mapping_is_the_wrong_shape()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Write("reservations/printers.yaml", "hw-address: \"02:00:00:00:00:99\"\nip-address: 192.168.1.99\n");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO004", Severity.Error, new SourceLocation("reservations/printers.yaml", 1, 1));
        Assert.Contains("holds a list of reservations", error.Message, StringComparison.Ordinal);
        Assert.Contains("a mapping", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO004", "KGO204");
    }

    [Fact]
    public void Top_level_file_holding_a_list_is_the_wrong_shape()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Write("printers.yaml", "- { hw-address: \"02:00:00:00:00:99\", ip-address: 192.168.1.99 }\n");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO004", Severity.Error, new SourceLocation("printers.yaml", 1, 1));
        Assert.Contains("holds a list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Second_yaml_document_in_a_file_is_the_wrong_shape()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Append(Site, "---\nkea: { version: \"2.2\" }\n");

        var result = inventory.Validate();

        result.AssertReported("KGO004", Severity.Error, inventory.At(Site, "---"));
    }

    [Fact]
    public void Reservations_from_a_missing_file_is_reported_at_the_path()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "reservations-from: reservations/", "reservations-from: [reservations/, printers/]");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO005", Severity.Error, inventory.At(Site, "reservations-from:", "printers/"));
        Assert.Contains("'printers/' does not exist", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO005", "KGO204");
    }

    [Fact]
    public void Reservations_from_outside_the_inventory_folder_is_refused()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Write("../shared-reservations/all.yaml", "- { hw-address: \"02:00:00:00:00:99\", ip-address: 192.168.1.99 }\n");
        inventory.Replace(Site, "reservations-from: reservations/", "reservations-from: ../shared-reservations/");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO005", Severity.Error, inventory.At(Site, "reservations-from:", "../shared-reservations/"));
        Assert.Contains("points outside the inventory folder", error.Message, StringComparison.Ordinal);
        Assert.Empty(result.Model!.Subnets[0].Reservations);
    }

    // ---- Schema: KGO1xx --------------------------------------------------------------------------

    [Fact]
    public void Unknown_key_lists_the_allowed_keys()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "  max-unacked-clients: 5", "  max-unacked-clients: 5\n  max-unacked-client: 6");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO101", Severity.Error, inventory.At(Site, "  max-unacked-client: 6", "max-unacked-client"));
        Assert.StartsWith(
            "unknown key 'max-unacked-client' in high-availability (did you mean 'max-unacked-clients'?); keagitops's keys here: auto-failover, heartbeat-delay, max-ack-delay, max-response-delay, max-unacked-clients, mode, port; and the keys Kea 3.0 takes here: ",
            error.Message,
            StringComparison.Ordinal);
        Assert.Contains(", sync-timeout, ", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO101", "KGO204");
    }

    [Fact]
    public void A_hand_typed_this_server_name_is_refused_because_it_is_derived()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "  max-unacked-clients: 5", "  max-unacked-clients: 5\n  this-server-name: kea-dhcp-1");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO101", Severity.Error, inventory.At(Site, "  this-server-name: kea-dhcp-1", "this-server-name"));
        Assert.Contains("each server's config names itself from servers[].name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Misspelt_reservation_key_is_unknown()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Infrastructure, "hostname: printer", "hostnme: printer");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO101", Severity.Error, inventory.At(Infrastructure, "hostnme", "hostnme"));
        Assert.Contains("(did you mean 'hostname'?); keagitops's keys here: circuit-id, client-id, comment, duid, flex-id, hostname, hw-address, ip-address, option-data; and the keys Kea 3.0 takes here: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(", next-server, ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Subnet_without_an_id_is_missing_a_required_key()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "  - id: 1\n    subnet:", "  - subnet:");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO102", Severity.Error, inventory.At(Site, "- subnet: 192.168.1.0/24", "subnet"));
        Assert.StartsWith("'id' is required in subnets", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO102", "KGO204");
    }

    [Fact]
    public void Quoted_port_is_the_wrong_type_and_says_to_remove_the_quotes()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "  port: 8000", "  port: \"8000\"");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO103", Severity.Error, inventory.At(Site, "port: \"8000\"", "\"8000\""));
        Assert.Contains("must be an integer, not '8000' (remove the quotes)", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO103", "KGO204");
    }

    [Fact]
    public void Unknown_ha_mode_lists_the_allowed_values()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "mode: load-balancing", "mode: active-active");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO104", Severity.Error, inventory.At(Site, "mode: active-active", "active-active"));
        Assert.Contains("allowed: load-balancing, hot-standby, passive-backup", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_address_that_is_not_ipv4_is_not_allowed()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "address: 192.168.1.134", "address: 192.168.1.300");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO104", Severity.Error, inventory.At(Site, "address: 192.168.1.300", "192.168.1.300"));
        Assert.Contains("expected an IPv4 address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reservation_address_that_is_not_ipv4_is_not_allowed()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Lights, "192.168.1.48", "192.168.1.300");

        var result = inventory.Validate();

        result.AssertReported("KGO104", Severity.Error, inventory.At(Lights, "bulb-porch", "192.168.1.300"));
        result.AssertCodes("KGO104", "KGO204");
    }

    [Fact]
    public void Password_in_the_inventory_is_a_secret_and_is_not_echoed()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "    password-file: kea-api-password", "    password: hunter2");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO105", Severity.Error, inventory.At(Site, "password: hunter2", "password"));
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Contains("password-file", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO105", "KGO204");
    }

    // ---- Addressing and reservations: KGO2xx -----------------------------------------------------

    [Fact]
    public void Duplicate_reserved_ip_in_two_files_names_both_places()
    {
        using var inventory = TempInventory.FromExample();
        AddIncidentReservation(inventory);

        var result = inventory.Validate();

        var duplicate = result.AssertReported("KGO201", Severity.Error, inventory.At(Lights, "hostname: eap773 }", "192.168.1.74"));
        var influxdb = inventory.At(Infrastructure, "hostname: influxdb", "192.168.1.74");
        Assert.Equal([influxdb], duplicate.Related);
        Assert.Contains($"192.168.1.74 is reserved for eap773 here and for influxdb at {influxdb}", duplicate.Message, StringComparison.Ordinal);
        Assert.Contains($"{Lights}:{duplicate.Location.Line}:{duplicate.Location.Column}: error KGO201: ", duplicate.ToString(), StringComparison.Ordinal);
        // The MAC was already reserved (as eap773-ap-1): the drift between the two servers' lists.
        result.AssertReported("KGO202", Severity.Error, inventory.At(Lights, "hostname: eap773 }", "\"a8:29:48:c0:01:60\""));
        result.AssertCodes("KGO201", "KGO202", "KGO204");
    }

    [Fact]
    public void Duplicate_hw_address_in_a_subnet_is_found_whatever_its_case()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Lights, "\"02:00:00:00:00:1a\"", "\"02:00:00:00:00:0A\"");

        var result = inventory.Validate();

        var duplicate = result.AssertReported("KGO202", Severity.Error, inventory.At(Lights, "02:00:00:00:00:0A", "\"02:00:00:00:00:0A\""));
        Assert.Equal([inventory.At(BleProxies, "02:00:00:00:00:0a", "\"02:00:00:00:00:0a\"")], duplicate.Related);
        Assert.Contains("hw-address 02:00:00:00:00:0a already has a reservation in this subnet (ble-proxy-kitchen", duplicate.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO202", "KGO204");
    }

    [Fact]
    public void Reservation_outside_its_subnet_is_an_error()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Lights, "192.168.1.48", "192.168.2.48");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO203", Severity.Error, inventory.At(Lights, "bulb-porch", "192.168.2.48"));
        Assert.StartsWith("192.168.2.48 is not inside subnet 192.168.1.0/24", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO203", "KGO204");
    }

    [Fact]
    public void Reservations_inside_the_pool_are_a_warning_on_the_pool_line_naming_the_first()
    {
        using var inventory = TempInventory.FromExample();

        var result = inventory.Validate();

        var warning = result.AssertReported("KGO204", Severity.Warning, inventory.At(Site, Pool, "192.168.1.10"));
        Assert.Contains($"54 reservation(s) lie inside dynamic pools '192.168.1.10 - 192.168.1.46', '192.168.1.48 - 192.168.1.132', '192.168.1.225 - 192.168.1.250' (first: ble-proxy-kitchen 192.168.1.31 at {inventory.At(BleProxies, "ble-proxy-kitchen", "192.168.1.31")})", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pool_outside_its_subnet_is_an_error()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, Pool, Pool + "\n      - 192.168.2.10 - 192.168.2.20");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO205", Severity.Error, inventory.At(Site, "192.168.2.10 - 192.168.2.20", "192.168.2.10"));
        Assert.Contains("pool '192.168.2.10 - 192.168.2.20' is not inside subnet 192.168.1.0/24", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO205", "KGO204");
    }

    [Fact]
    public void Overlapping_pools_name_both_pools()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, Pool, Pool + "\n      - 192.168.1.40 - 192.168.1.45");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO206", Severity.Error, inventory.At(Site, "192.168.1.40 - 192.168.1.45", "192.168.1.40"));
        Assert.Equal([inventory.At(Site, Pool, "192.168.1.10")], error.Related);
        Assert.Contains("overlaps pool '192.168.1.10 - 192.168.1.46' at site.yaml:58:9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlapping_subnets_name_both_subnets()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Append(Site, "  - id: 2\n    subnet: 192.168.1.128/25\n    pools: [192.168.1.200 - 192.168.1.220]\n");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO207", Severity.Error, inventory.At(Site, "192.168.1.128/25", "192.168.1.128/25"));
        Assert.Equal([inventory.At(Site, "subnet: 192.168.1.0/24", "192.168.1.0/24")], error.Related);
        result.AssertCodes("KGO207", "KGO204");
    }

    [Fact]
    public void Prefix_with_host_bits_set_suggests_the_network()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "subnet: 192.168.1.0/24", "subnet: 192.168.1.5/24");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO208", Severity.Error, inventory.At(Site, "192.168.1.5/24", "192.168.1.5/24"));
        Assert.Equal("'192.168.1.5/24' has host bits set; the network is 192.168.1.0/24. Write '192.168.1.0/24'.", error.Message);
        result.AssertCodes("KGO208", "KGO204");
    }

    [Fact]
    public void Subnet_id_used_twice_names_the_first_use()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Append(Site, "  - id: 1\n    subnet: 10.0.0.0/24\n    pools: [10.0.0.10 - 10.0.0.20]\n");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO209", Severity.Error, new SourceLocation(Site, 66, 9));
        Assert.Equal([new SourceLocation(Site, 54, 9)], error.Related);
        result.AssertCodes("KGO209", "KGO204");
    }

    [Fact]
    public void Mac_with_hyphens_suggests_the_colon_form()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Infrastructure, "\"bc:24:11:16:c6:92\"", "\"BC-24-11-16-C6-92\"");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO210", Severity.Error, inventory.At(Infrastructure, "BC-24-11-16-C6-92", "\"BC-24-11-16-C6-92\""));
        Assert.Equal("hw-address 'BC-24-11-16-C6-92' uses hyphens: Kea needs colons; write it as 'bc:24:11:16:c6:92'.", error.Message);
        result.AssertCodes("KGO210", "KGO204");
    }

    [Fact]
    public void Mac_of_the_wrong_length_counts_its_octets()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Infrastructure, "\"bc:24:11:16:c6:92\"", "\"bc:24:11:16:c6\"");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO210", Severity.Error, inventory.At(Infrastructure, "bc:24:11:16:c6\"", "\"bc:24:11:16:c6\""));
        Assert.Contains("has 5 octets where an Ethernet address has 6", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostname_reserved_twice_is_a_warning_whatever_its_case()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Lights, "hostname: bulb-porch", "hostname: Printer");

        var result = inventory.Validate();

        var warning = result.AssertReported("KGO211", Severity.Warning, inventory.At(Lights, "hostname: Printer", "Printer"));
        Assert.Equal([inventory.At(Infrastructure, "hostname: printer", "printer")], warning.Related);
        Assert.False(result.HasErrors);
    }

    [Fact]
    public void Pool_with_first_after_last_is_malformed()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, Pool, "      - 192.168.1.250 - 192.168.1.10");

        var result = inventory.Validate();

        result.AssertReported("KGO212", Severity.Error, inventory.At(Site, "- 192.168.1.250 - 192.168.1.10", "192.168.1.250"));
        result.AssertCodes("KGO212", "KGO204");
    }

    [Fact]
    public void Reservation_without_identifier_needs_one()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Lights, "hw-address: \"02:00:00:00:00:1a\", ", string.Empty);

        var result = inventory.Validate();

        var error = result.AssertReported("KGO213", Severity.Error, inventory.At(Lights, "bulb-porch", "{"));
        Assert.Contains("has no identifier", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO213", "KGO204");
    }

    [Fact]
    public void Reservation_with_both_identifiers_must_keep_one()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Lights, "hw-address: \"02:00:00:00:00:1a\",", "hw-address: \"02:00:00:00:00:1a\", client-id: \"01:02:00:00:00:00:1a\",");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO213", Severity.Error, inventory.At(Lights, "bulb-porch", "{"));
        Assert.Contains("has both hw-address and client-id", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("duid: \"00:01:00:01:2c:1f:aa:bb:cc:dd:ee:01\"")]
    [InlineData("circuit-id: \"'ge-0/0/1'\"")]
    [InlineData("flex-id: \"70:72:69:6e:74\"")]
    public void A_reservation_may_name_its_client_by_any_identifier_Kea_reads(string identifier)
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Lights, "hw-address: \"02:00:00:00:00:1a\"", identifier);

        var result = inventory.Validate();

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void A_reservation_naming_three_identifiers_is_told_to_keep_one_naming_all_three()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Lights, "hw-address: \"02:00:00:00:00:1a\",", "hw-address: \"02:00:00:00:00:1a\", flex-id: \"'x'\", duid: \"00:01\",");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO213", Severity.Error, inventory.At(Lights, "bulb-porch", "{"));
        Assert.Contains("has hw-address, duid and flex-id; Kea matches on one identifier", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duid_that_is_neither_hex_nor_quoted_is_malformed_and_one_given_twice_is_reserved_twice()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Lights, "hw-address: \"02:00:00:00:00:1a\"", "duid: \"porch light\"");
        inventory.Replace(Lights, "hw-address: \"02:00:00:00:00:18\"", "circuit-id: \"0x0A0b\"");
        inventory.Replace(Lights, "hw-address: \"02:00:00:00:00:19\"", "circuit-id: \"0a:0b\"");

        var result = inventory.Validate();

        var malformed = result.AssertReported("KGO218", Severity.Error, inventory.At(Lights, "porch light", "\"porch light\""));
        Assert.StartsWith("duid 'porch light' is neither hex octets", malformed.Message, StringComparison.Ordinal);
        var twice = result.AssertReported("KGO202", Severity.Error, inventory.At(Lights, "circuit-id: \"0a:0b\"", "\"0a:0b\""));
        Assert.Contains("circuit-id 0a:0b", twice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reservation_without_an_address_gives_a_hostname_only_and_is_valid()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Lights, "ip-address: 192.168.1.48, ", string.Empty);

        var result = inventory.Validate();

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Null(result.Model!.Subnets.SelectMany(s => s.Reservations).Single(r => r.Hostname == "bulb-porch").IpAddress);
    }

    /// <summary>The example with top-level <c>client-classes:</c> followed by <paramref name="classes"/> (YAML), and its last pool restricted to <paramref name="poolClasses"/>.</summary>
    private static TempInventory WithLastPoolRestricted(string classes, string poolClasses)
    {
        var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "subnets:\n", $"client-classes:{classes}\nsubnets:\n");
        inventory.Replace(Site, "      - 192.168.1.225 - 192.168.1.250", $"      - {{ pool: 192.168.1.225 - 192.168.1.250, client-classes: {poolClasses} }}");
        return inventory;
    }

    [Fact]
    public void A_pool_class_defined_nowhere_is_named_with_the_classes_that_are_and_an_HA_scope_class_is_refused()
    {
        using var inventory = WithLastPoolRestricted(" [ { name: phones, test: \"option[60].exists\" } ]", "[ phone, HA_kea-dhcp-2, KNOWN, VENDOR_CLASS_docsis3.0 ]");

        var result = inventory.Validate();

        var undefined = result.AssertReported("KGO224", Severity.Error, inventory.At(Site, "[ phone,", "phone"));
        Assert.Contains("pool class 'phone' is not defined (did you mean 'phones'?)", undefined.Message, StringComparison.Ordinal);
        Assert.Contains("(defined: phones)", undefined.Message, StringComparison.Ordinal);
        result.AssertReported("KGO223", Severity.Error, inventory.At(Site, "HA_kea-dhcp-2", "HA_kea-dhcp-2"));
        result.AssertCodes("KGO224", "KGO223", "KGO204");
    }

    [Fact]
    public void A_pool_restricted_to_a_hand_written_split_class_is_refused_as_half_of_it_would_never_be_used()
    {
        using var inventory = WithLastPoolRestricted("\n  - { name: phones, test: \"option[60].exists\" }\n  - { name: phones_server1, test: \"member('phones') and member('HA_kea-dhcp-1')\" }", "[ phones_server1 ]");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO223", Severity.Error, inventory.At(Site, "[ phones_server1 ]", "phones_server1"));
        Assert.Contains("tests an HA scope class", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pool_restricted_to_the_HA_scope_of_a_server_outside_the_pair_is_KGO228_as_it_is_never_used()
    {
        using var inventory = WithLastPoolRestricted("\n  - { name: phones_server1, test: \"member('HA_server1')\", next-server: 10.2.3.4 }", "[ phones_server1 ]");

        var result = inventory.Validate();

        var warning = result.AssertReported("KGO228", Severity.Warning, inventory.At(Site, "[ phones_server1 ]", "phones_server1"));
        Assert.Contains("tests the HA scope class 'HA_server1', which no server of this pair has (the servers are kea-dhcp-1 and kea-dhcp-2)", warning.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO228", "KGO204");
    }

    [Fact]
    public void A_pool_class_with_a_quote_cannot_be_combined_with_the_HA_scope()
    {
        using var inventory = WithLastPoolRestricted(" [ { name: \"bob's\" } ]", "[ \"bob's\" ]");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO225", Severity.Error, inventory.At(Site, "[ \"bob's\" ]", "\"bob's\""));
        Assert.Contains("holds a quote", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO225", "KGO204");
    }

    [Fact]
    public void A_pool_mapping_takes_Keas_pool_keys_but_not_the_2x_client_class_key()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "      - 192.168.1.225 - 192.168.1.250", "      - { pool: 192.168.1.225 - 192.168.1.250, user-context: { note: x }, client-class: phones, pool-idd: 3 }");

        var result = inventory.Validate();

        var derived = result.AssertReported("KGO101", Severity.Error, inventory.At(Site, "client-class: phones", "client-class"));
        Assert.Contains("a pool's classes are its client-classes list", derived.Message, StringComparison.Ordinal);
        var unknown = result.AssertReported("KGO101", Severity.Error, inventory.At(Site, "pool-idd", "pool-idd"));
        Assert.Contains("unknown key 'pool-idd' in pool 192.168.1.225 - 192.168.1.250 (did you mean 'pool-id'?)", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_hostname_is_invalid_and_cannot_forge_an_output_line()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Lights, "hostname: bulb-porch", "hostname: \"porch\\\"\\nerror KGO000: forged\"");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO214", Severity.Error, inventory.At(Lights, "hostname: \"porch", "\"porch"));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("porch\"\\u000aerror KGO000: forged", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO214", "KGO204");
    }

    [Fact]
    public void Hostile_unknown_key_cannot_forge_an_output_line()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Append(Site, "\"x\\nerror KGO000: forged\": 1\n");

        var result = inventory.Validate();

        var error = result.AssertReportedOnce("KGO101");
        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith("unknown key 'x\\u000aerror KGO000: forged' in the inventory; keagitops's keys here: control-agent, ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_hostname_on_a_duplicate_address_cannot_forge_an_output_line()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Append(Lights, "- { hw-address: \"02:00:00:00:00:99\", ip-address: 192.168.1.74, hostname: \"x\\nerror KGO000: forged\" }\n");

        var result = inventory.Validate();

        Assert.All(result.Diagnostics, d => Assert.DoesNotContain('\n', d.Message));
        Assert.Contains("reserved for x\\u000aerror KGO000: forged here", result.AssertReportedOnce("KGO201").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reservation_on_the_broadcast_address_is_an_error()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Lights, "192.168.1.48", "192.168.1.255");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO215", Severity.Error, inventory.At(Lights, "bulb-porch", "192.168.1.255"));
        Assert.StartsWith("192.168.1.255 is the broadcast address of 192.168.1.0/24", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO215", "KGO204");
    }

    [Fact]
    public void Reservation_on_a_dhcp_server_address_is_an_error()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Lights, "192.168.1.48", "192.168.1.133");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO216", Severity.Error, inventory.At(Lights, "bulb-porch", "192.168.1.133"));
        Assert.Contains("the address of DHCP server kea-dhcp-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reservation_on_the_router_address_is_an_error()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Lights, "192.168.1.48", "192.168.1.1");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO216", Severity.Error, inventory.At(Lights, "bulb-porch", "192.168.1.1"));
        Assert.Contains("the subnet's router", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Subnet_with_no_pools_and_no_reservations_is_a_warning()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Append(Site, "  - id: 2\n    subnet: 10.0.0.0/24\n");

        var result = inventory.Validate();

        var warning = result.AssertReported("KGO217", Severity.Warning, inventory.At(Site, "- id: 2", "id"));
        Assert.StartsWith("subnet 10.0.0.0/24 has no pools and no reservations", warning.Message, StringComparison.Ordinal);
        Assert.False(result.HasErrors);
    }

    [Fact]
    public void Client_id_that_is_neither_hex_nor_quoted_is_malformed()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Lights, "hw-address: \"02:00:00:00:00:1a\"", "client-id: \"porch light\"");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO218", Severity.Error, inventory.At(Lights, "porch light", "\"porch light\""));
        Assert.StartsWith("client-id 'porch light' is neither hex octets", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO218", "KGO204");
    }

    // ---- High availability: KGO3xx ---------------------------------------------------------------

    [Fact]
    public void Two_primaries_do_not_fit_load_balancing()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "role: secondary", "role: primary");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO301", Severity.Error, inventory.At(Site, "mode: load-balancing", "load-balancing"));
        Assert.Equal(
            "mode load-balancing needs exactly two servers, one primary and one secondary, but the servers are: kea-dhcp-1 primary, kea-dhcp-2 primary. Fix the servers' roles or the mode.",
            error.Message);
        result.AssertCodes("KGO301", "KGO204");
    }

    [Fact]
    public void Secondary_does_not_fit_hot_standby()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "mode: load-balancing", "mode: hot-standby");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO301", Severity.Error, inventory.At(Site, "mode: hot-standby", "hot-standby"));
        Assert.Contains("one primary and one standby", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ha_port_equal_to_the_control_agent_port_names_both()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "  port: 8001", "  port: 8000");

        var result = inventory.Validate();

        var haPort = inventory.At(Site, "mode: load-balancing", "mode") with { Line = 26, Column = 9 };
        var error = result.AssertReported("KGO302", Severity.Error, haPort);
        Assert.Equal([new SourceLocation(Site, 33, 9)], error.Related);
        Assert.Contains("high-availability port 8000 is also the control agent's port (site.yaml:33:9)", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO302", "KGO204");
    }

    [Fact]
    public void Ha_port_clashing_with_the_default_control_agent_port_is_reported()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "control-agent:\n  port: 8001\n  authentication:\n    user: kea-api\n    password-file: kea-api-password   # a file in /etc/kea on each server; never the password itself\n", string.Empty);

        var result = inventory.Validate();

        var error = result.AssertReported("KGO302", Severity.Error, inventory.At(Site, "  port: 8000", "8000"));
        // The control agent is not written, so its default port is placed where the section would go.
        Assert.Equal([new SourceLocation(Site, 1, 1)], error.Related);
        Assert.Contains("high-availability port 8000 is also the control agent's port", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_server_name_is_an_error()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "name: kea-dhcp-2", "name: kea-dhcp-1");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO304", Severity.Error, new SourceLocation(Site, 14, 11));
        Assert.Equal([new SourceLocation(Site, 10, 11)], error.Related);
        Assert.StartsWith("server name 'kea-dhcp-1' is already used at site.yaml:10:11", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_server_address_explains_the_bind_failure()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "address: 192.168.1.134", "address: 192.168.1.133");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO304", Severity.Error, new SourceLocation(Site, 15, 14));
        Assert.Contains("kea-dhcp-2 has address 192.168.1.133, which is already kea-dhcp-1's (site.yaml:11:14)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cannot assign requested address", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO304", "KGO204");
    }

    [Fact]
    public void One_address_pool_cannot_be_split_in_load_balancing_and_goes_whole_to_the_primary()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, Pool, Pool + "\n      - 192.168.1.252 - 192.168.1.252");

        var result = inventory.Validate();

        var warning = result.AssertReported("KGO305", Severity.Warning, inventory.At(Site, "- 192.168.1.252 - 192.168.1.252", "192.168.1.252"));
        Assert.Contains("kea-dhcp-1 serves it alone (kea-dhcp-2 only while kea-dhcp-1 is down)", warning.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO305", "KGO204");
        var rendered = KeaGitOps.Core.Rendering.RenderPipeline.Default(inventory.Folder).Run(inventory.Folder, null, () => null);
        Assert.True(rendered.Succeeded, string.Join("\n", rendered.Diagnostics));
        using var config = System.Text.Json.JsonDocument.Parse(rendered.Servers![1].File(KeaGitOps.Core.Rendering.TemplateSet.Dhcp4).Text);
        var pool = Assert.Single(config.RootElement.GetProperty("Dhcp4").GetProperty("subnet4")[0].GetProperty("pools").EnumerateArray(), p => p.GetProperty("pool").GetString()!.StartsWith("192.168.1.252", StringComparison.Ordinal));
        Assert.Equal("HA_kea-dhcp-1", Assert.Single(pool.GetProperty("client-classes").EnumerateArray()).GetString());
    }

    [Fact]
    public void One_address_pool_is_fine_in_hot_standby()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, Pool, Pool + "\n      - 192.168.1.252/32");
        inventory.Replace(Site, "mode: load-balancing", "mode: hot-standby");
        inventory.Replace(Site, "role: secondary", "role: standby");

        var result = inventory.Validate();

        result.AssertCodes("KGO204");
    }

    [Fact]
    public void Max_response_delay_shorter_than_the_heartbeat_is_a_warning()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "max-response-delay: 60000", "max-response-delay: 5000");

        var result = inventory.Validate();

        var warning = result.AssertReported("KGO306", Severity.Warning, inventory.At(Site, "max-response-delay", "5000"));
        Assert.StartsWith("max-response-delay 5000 ms is not greater than heartbeat-delay 10000 ms", warning.Message, StringComparison.Ordinal);
        Assert.False(result.HasErrors);
    }

    // ---- Timers and options: KGO4xx --------------------------------------------------------------

    [Fact]
    public void Renew_timer_after_rebind_timer_is_out_of_order()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "renew-timer: 43200", "renew-timer: 80000");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO401", Severity.Error, inventory.At(Site, "renew-timer", "80000"));
        Assert.Equal("in the global timers, renew-timer (80000) must be less than rebind-timer (75600); clients need renew < rebind < valid-lifetime.", error.Message);
        result.AssertCodes("KGO401", "KGO204");
    }

    [Fact]
    public void Subnet_renew_timer_is_checked_against_the_inherited_rebind_timer()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "    comment: home LAN", "    comment: home LAN\n    renew-timer: 90000");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO401", Severity.Error, inventory.At(Site, "renew-timer: 90000", "90000"));
        Assert.StartsWith("in subnet 192.168.1.0/24, renew-timer (90000) must be less than rebind-timer (75600)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Misspelt_option_name_is_unknown()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "      routers: 192.168.1.1", "      router: 192.168.1.1");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO402", Severity.Error, inventory.At(Site, "router: 192.168.1.1", "router"));
        Assert.StartsWith("'router' is not a standard DHCPv4 option name and no option-def defines it (did you mean 'routers'?)", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO402", "KGO204");
    }

    [Fact]
    public void Router_that_is_not_an_address_is_an_invalid_option_value()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "routers: 192.168.1.1", "routers: not-an-ip");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO403", Severity.Error, inventory.At(Site, "routers: not-an-ip", "not-an-ip"));
        Assert.Equal("'not-an-ip' is not a valid value for option routers: expected an IPv4 address such as 192.168.1.1.", error.Message);
        result.AssertCodes("KGO403", "KGO204");
    }

    [Fact]
    public void Bad_second_address_in_a_comma_separated_option_is_named()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "capwap-ac-v4: 192.168.1.47", "capwap-ac-v4: \"192.168.1.47, 192.168.1.300\"");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO403", Severity.Error, inventory.At(Site, "capwap-ac-v4", "\"192.168.1.47"));
        Assert.StartsWith("'192.168.1.300' is not a valid value for option capwap-ac-v4", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO403", "KGO204");
    }

    [Fact]
    public void Bad_second_address_in_an_option_list_points_at_that_item()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "capwap-ac-v4: 192.168.1.47", "capwap-ac-v4: [192.168.1.47, 192.168.1.300]");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO403", Severity.Error, inventory.At(Site, "capwap-ac-v4", "192.168.1.300"));
        Assert.Contains("'192.168.1.300'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Option_code_that_does_not_match_the_name_is_an_invalid_value()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "routers: 192.168.1.1", "routers: { data: 192.168.1.1, code: 4 }");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO403", Severity.Error, inventory.At(Site, "code: 4", "4 }"));
        Assert.Equal("option routers has code 3, not 4; remove the code or fix it.", error.Message);
    }

    [Fact]
    public void List_for_a_single_valued_option_is_an_error()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "domain-name: lakehouse.wtf", "domain-name: [lakehouse.wtf, example.org]");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO404", Severity.Error, inventory.At(Site, "domain-name: [", "domain-name"));
        Assert.Equal("option domain-name takes one value, but 2 are given; keep one.", error.Message);
        result.AssertCodes("KGO404", "KGO204");
    }

    // ---- Kea version: KGO5xx ---------------------------------------------------------------------

    [Fact]
    public void Socket_name_with_a_path_is_restricted_in_kea_3_0()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "socket-name: kea4-ctrl-socket", "socket-name: /tmp/kea4-ctrl-socket");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO501", Severity.Error, inventory.At(Site, "socket-name", "/tmp/kea4-ctrl-socket"));
        Assert.Contains("Give the bare name 'kea4-ctrl-socket'", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO501", "KGO204");
    }

    [Fact]
    public void Socket_name_with_a_path_is_restricted_in_kea_2_6()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "socket-name: kea4-ctrl-socket", "socket-name: /tmp/kea4-ctrl-socket");
        inventory.Replace(Site, "version: \"3.0\"", "version: \"2.6\"");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO501", Severity.Error, inventory.At(Site, "socket-name", "/tmp/kea4-ctrl-socket"));
        Assert.StartsWith("Kea 2.6 creates control sockets only in its own socket directory", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO501", "KGO204");
    }

    [Fact]
    public void Multi_threading_off_needs_each_agent_on_its_servers_address_at_the_HA_port()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "valid-lifetime: 86400", "valid-lifetime: 86400\nmulti-threading: { enable-multi-threading: false }");

        var result = inventory.Validate();

        // The example's agent listens on 127.0.0.1:8001: its partner's heartbeats (to :8000) would reach nothing.
        var port = result.AssertReported("KGO309", Severity.Error, inventory.At(Site, "port: 8001", "8001"));
        Assert.StartsWith("multi-threading is off, so each partner's HA requests go to the Control Agent at the peer URL's port 8000, but the agent listens on 8001", port.Message, StringComparison.Ordinal);
        Assert.Equal(2, result.Diagnostics.Count(d => d.Code == "KGO309" && d.Message.Contains("declare servers[].control-agent.host", StringComparison.Ordinal)));
    }

    [Fact]
    public void Multi_threading_off_with_each_agent_on_its_servers_address_at_the_HA_port_is_valid_and_not_a_port_clash()
    {
        using var inventory = TempInventory.FromFolder(RepositoryLayout.Fixture("render/ha-without-mt"));

        var result = inventory.Validate();

        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error);
        result.AssertNotReported("KGO302");
    }

    [Theory]
    [InlineData("2.6")]
    [InlineData("2.2")]
    public void Lease_cmds_binding_variables_before_kea_3_0_are_refused_since_that_lease_cmds_ignores_them(string version)
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "valid-lifetime: 86400", "valid-lifetime: 86400\nlease-cmds:\n  binding-variables: [ { name: given, expression: \"addrtotext(pkt4.yiaddr)\", source: response } ]");
        inventory.Replace(Site, "version: \"3.0\"", $"version: \"{version}\"");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO503", Severity.Error, inventory.At(Site, "binding-variables", "["));
        Assert.Equal($"lease-cmds.binding-variables exists from Kea 3.0 on; Kea {version} would ignore it silently. Remove it, or set kea.version to 3.0.", error.Message);
        result.AssertCodes("KGO503", "KGO204");
    }

    [Fact]
    public void Lease_cmds_binding_variables_are_valid_for_kea_3_0()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "valid-lifetime: 86400", "valid-lifetime: 86400\nlease-cmds:\n  binding-variables: [ { name: given, expression: \"addrtotext(pkt4.yiaddr)\", source: response } ]");

        inventory.Validate().AssertCodes("KGO204");
    }

    [Fact]
    public void Socket_name_with_a_path_is_fine_for_kea_2_2()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "socket-name: kea4-ctrl-socket", "socket-name: /tmp/kea4-ctrl-socket");
        inventory.Replace(Site, "version: \"3.0\"", "version: \"2.2\"");

        var result = inventory.Validate();

        result.AssertCodes("KGO204");
    }

    [Fact]
    public void Old_kea_name_client_class_that_Kea_3_0_still_reads_is_a_warning_naming_the_current_one()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "    comment: home LAN", "    comment: home LAN\n    client-class: trusted");

        var result = inventory.Validate();

        var warning = result.AssertReported("KGO107", Severity.Warning, inventory.At(Site, "client-class", "client-class"));
        Assert.Equal("'client-class' is an older Kea name that Kea 3.0 still reads with a deprecation warning; its current name is 'client-classes'. Rename the key.", warning.Message);
        result.AssertCodes("KGO107", "KGO204");
    }

    [Fact]
    public void An_old_name_Kea_never_took_where_it_is_written_names_the_current_one()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "    comment: home LAN", "    comment: home LAN\n    renew: 900");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO502", Severity.Error, inventory.At(Site, "renew: 900", "renew"));
        Assert.Equal("'renew' is an older Kea name; the inventory uses 'renew-timer'. Rename the key.", error.Message);
        result.AssertCodes("KGO502", "KGO204");
    }

    [Fact]
    public void Old_kea_name_output_options_names_the_current_one()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Append(Site, "logging:\n  output_options: [{ output: stdout }]\n");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO502", Severity.Error, inventory.At(Site, "output_options", "output_options"));
        Assert.Contains("uses 'output-options'", error.Message, StringComparison.Ordinal);
    }
}
