using System.Text.Json;
using KeaGitOps.Core.Import;
using Xunit;

namespace KeaGitOps.Tests.Import;

/// <summary>The round-trip comparison that import's report and the kea-doc test rely on: it must see every loss.</summary>
public sealed class ImportRoundTripTests
{
    private const string Original = """
        { "Dhcp4": {
            "valid-lifetime": 4000,
            "option-data": [ { "name": "domain-name-servers", "data": "192.0.2.1, 192.0.2.2", "csv-format": true } ],
            "subnet4": [ {
                "id": 1, "subnet": "192.0.2.0/24",
                "pools": [ { "pool": "192.0.2.10 - 192.0.2.109" } ],
                "reservations": [
                    { "hw-address": "AA:BB:CC:00:00:01", "ip-address": "192.0.2.201", "hostname": "printer" },
                    { "client-id": "01:aa:bb:cc:00:00:02", "ip-address": "192.0.2.202" } ] } ] } }
        """;

    /// <summary>What keagitops renders for it: reservations in another order, the pool split in halves, names lower-cased, defaults dropped.</summary>
    private const string Rendered = """
        { "Dhcp4": {
            "valid-lifetime": 4000,
            "option-data": [ { "name": "domain-name-servers", "data": "192.0.2.1,192.0.2.2" } ],
            "multi-threading": { "enable-multi-threading": true },
            "subnet4": [ {
                "id": 1, "subnet": "192.0.2.0/24",
                "pools": [ { "pool": "192.0.2.10 - 192.0.2.59", "client-classes": [ "HA_a" ] }, { "pool": "192.0.2.60 - 192.0.2.109", "client-classes": [ "HA_b" ] } ],
                "reservations": [
                    { "client-id": "01:AA:BB:CC:00:00:02", "ip-address": "192.0.2.202" },
                    { "hw-address": "aa:bb:cc:00:00:01", "ip-address": "192.0.2.201", "hostname": "printer" } ] } ] } }
        """;

    private static IReadOnlyList<string> Compare(string original, string rendered, params string[] reported)
    {
        using var before = JsonDocument.Parse(original);
        using var after = JsonDocument.Parse(rendered);
        var notes = reported.Select(r => r.Split(": ", 2)).Select(r => new ImportNote(KeaConfigFile.Dhcp4, r[0], NoteKind.NotImported, r[1]));
        return ImportRoundTrip.Differences(before.RootElement, after.RootElement, notes);
    }

    [Fact]
    public void The_same_config_in_keagitops_layout_has_no_differences()
    {
        Assert.Empty(Compare(Original, Rendered));
    }

    [Fact]
    public void A_changed_value_is_named_by_its_path_in_the_original()
    {
        var differences = Compare(Original, Rendered.Replace("\"hostname\": \"printer\"", "\"hostname\": \"scanner\"", StringComparison.Ordinal));

        Assert.Equal(["Dhcp4.subnet4[0].reservations[0].hostname: \"printer\" rendered as \"scanner\""], differences);
    }

    [Fact]
    public void A_lost_reservation_and_a_lost_option_value_are_named()
    {
        var differences = Compare(Original, Rendered
            .Replace("{ \"client-id\": \"01:AA:BB:CC:00:00:02\", \"ip-address\": \"192.0.2.202\" },", string.Empty, StringComparison.Ordinal)
            .Replace("192.0.2.1,192.0.2.2", "192.0.2.1", StringComparison.Ordinal));

        Assert.Equal(
            ["Dhcp4.option-data[0].data: \"192.0.2.1, 192.0.2.2\" rendered as \"192.0.2.1\"", "Dhcp4.subnet4[0].reservations[1]: client-id=01:aa:bb:cc:00:00:02 missing from the render"],
            differences);
    }

    [Fact]
    public void A_pool_that_loses_its_class_or_its_options_is_named_and_the_split_with_combined_classes_is_not()
    {
        const string restricted = "{ \"pool\": \"192.0.2.10 - 192.0.2.109\", \"client-class\": \"phones\", \"option-data\": [ { \"name\": \"tftp-server-name\", \"data\": \"pbx\" } ] }";
        var original = Original.Replace("{ \"pool\": \"192.0.2.10 - 192.0.2.109\" }", restricted, StringComparison.Ordinal);
        const string classes = "\"client-classes\": [ { \"name\": \"phones+HA_a\", \"test\": \"member('phones') and member('HA_a')\", \"user-context\": { \"keagitops\": { \"pool-classes\": [ \"phones\" ], \"scope\": \"HA_a\" } } }, "
            + "{ \"name\": \"phones+HA_b\", \"test\": \"member('phones') and member('HA_b')\", \"user-context\": { \"keagitops\": { \"pool-classes\": [ \"phones\" ], \"scope\": \"HA_b\" } } } ],";
        const string options = "\"option-data\": [ { \"name\": \"tftp-server-name\", \"data\": \"pbx\" } ]";
        var split = Rendered.Replace("\"valid-lifetime\": 4000,", "\"valid-lifetime\": 4000, " + classes, StringComparison.Ordinal)
            .Replace("\"client-classes\": [ \"HA_a\" ] }", $"\"client-classes\": [ \"phones+HA_a\" ], {options} }}", StringComparison.Ordinal)
            .Replace("\"client-classes\": [ \"HA_b\" ] }", $"\"client-classes\": [ \"phones+HA_b\" ], {options} }}", StringComparison.Ordinal);

        Assert.Empty(Compare(original, split));
        var open = Compare(original, Rendered);
        // The render opens the pool to every client: the restricted pool is missing, and the open addresses grow.
        Assert.Equal(
            ["Dhcp4.subnet4[0].pools: covers ; the render covers 192.0.2.10 - 192.0.2.109",
             "Dhcp4.subnet4[0].pools: 192.0.2.10 - 192.0.2.109 with classes: phones; {\"option-data\":[{\"name\":\"tftp-server-name\",\"data\":\"pbx\"}]} missing from the render"],
            open);
        var changedHalf = Compare(original, split.Replace("\"data\": \"pbx\" } ] }, { \"pool\": \"192.0.2.60", "\"data\": \"pbx2\" } ] }, { \"pool\": \"192.0.2.60", StringComparison.Ordinal));
        Assert.Equal("Dhcp4.subnet4[0].pools: with classes: phones; {\"option-data\":[{\"name\":\"tftp-server-name\",\"data\":\"pbx\"}]} covers 192.0.2.10 - 192.0.2.109; the render covers 192.0.2.60 - 192.0.2.109", Assert.Single(changedHalf));
    }

    [Fact]
    public void Pools_compare_by_the_addresses_they_cover()
    {
        var differences = Compare(Original, Rendered.Replace("192.0.2.60 - 192.0.2.109", "192.0.2.60 - 192.0.2.99", StringComparison.Ordinal));

        Assert.Equal(["Dhcp4.subnet4[0].pools: covers 192.0.2.10 - 192.0.2.109; the render covers 192.0.2.10 - 192.0.2.99"], differences);
    }

    [Fact]
    public void A_reservation_the_original_does_not_have_is_named_in_the_render()
    {
        var differences = Compare(Original, Rendered.Replace(
            "\"reservations\": [", "\"reservations\": [ { \"hw-address\": \"aa:bb:cc:00:00:09\", \"ip-address\": \"192.0.2.209\" },", StringComparison.Ordinal));

        Assert.Equal(["Dhcp4.subnet4[0].reservations[0] of the render: hw-address=aa:bb:cc:00:00:09 is not in the original"], differences);
    }

    [Fact]
    public void Paths_the_import_reported_are_excused_and_nothing_else()
    {
        var original = Original.Replace("\"valid-lifetime\": 4000,", "\"valid-lifetime\": 4000, \"shared-networks\": [ { \"name\": \"x\" } ], \"t1-percent\": 0.4,", StringComparison.Ordinal);

        Assert.Equal(["Dhcp4.t1-percent: missing from the render"], Compare(original, Rendered, "Dhcp4.shared-networks: no inventory key for it"));
        Assert.Empty(Compare(original, Rendered, "Dhcp4.shared-networks: no inventory key for it", "Dhcp4.t1-percent: no inventory key for it"));
    }

    [Fact]
    public void A_wildcard_entry_excuses_that_key_of_every_entry_of_the_list()
    {
        const string Original = """{ "Dhcp4": { "peers": [ { "name": "a", "auto-failover": false }, { "name": "b", "auto-failover": true } ] } }""";
        const string Rendered = """{ "Dhcp4": { "peers": [ { "name": "a" }, { "name": "b" } ] } }""";

        Assert.Equal(["Dhcp4.peers[0].auto-failover: missing from the render"], Compare(Original, Rendered));
        Assert.Empty(Compare(Original, Rendered, "Dhcp4.peers[].auto-failover: differs between peers"));
    }

    [Fact]
    public void Numbers_beyond_a_decimal_and_odd_shapes_are_compared_not_thrown_on()
    {
        Assert.Empty(Compare("""{ "Dhcp4": { "x": 1e40, "pools": [ "odd" ] } }""", """{ "Dhcp4": { "x": 1E40, "pools": [ "odd" ] } }"""));
        Assert.Equal(["Dhcp4.x: 1e40 rendered as 2e40"], Compare("""{ "Dhcp4": { "x": 1e40 } }""", """{ "Dhcp4": { "x": 2e40 } }"""));
        Assert.Equal(["Dhcp4.subnet4[0].pools: pool 10.0.0.5/33 missing from the render"], Compare(
            """{ "Dhcp4": { "subnet4": [ { "subnet": "10.0.0.0/24", "pools": [ { "pool": "10.0.0.5/33" } ] } ] } }""",
            """{ "Dhcp4": { "subnet4": [ { "subnet": "10.0.0.0/24", "pools": [ ] } ] } }"""));
    }

    [Fact]
    public void A_value_equal_to_keas_default_may_be_left_out_but_another_value_may_not()
    {
        var alwaysSend = Original.Replace("\"csv-format\": true", "\"csv-format\": true, \"always-send\": false", StringComparison.Ordinal);
        Assert.Empty(Compare(alwaysSend, Rendered));

        var sent = Original.Replace("\"csv-format\": true", "\"csv-format\": true, \"always-send\": true", StringComparison.Ordinal);
        Assert.Equal(["Dhcp4.option-data[0].always-send: missing from the render"], Compare(sent, Rendered));
    }

    [Fact]
    public void Identifiers_compare_as_kea_reads_them_so_an_octet_written_with_one_digit_is_no_difference()
    {
        Assert.Empty(Compare(Original.Replace("AA:BB:CC:00:00:01", "AA:BB:CC:0:0:1", StringComparison.Ordinal), Rendered));

        // A quoted client-id is text, read as written: another case is another client.
        var quoted = Original.Replace("\"01:aa:bb:cc:00:00:02\"", "\"'Printer'\"", StringComparison.Ordinal);
        Assert.Equal(
            ["Dhcp4.subnet4[0].reservations[1]: client-id='Printer' missing from the render", "Dhcp4.subnet4[0].reservations[0] of the render: client-id='printer' is not in the original"],
            Compare(quoted, Rendered.Replace("\"01:AA:BB:CC:00:00:02\"", "\"'printer'\"", StringComparison.Ordinal)));
    }
}
