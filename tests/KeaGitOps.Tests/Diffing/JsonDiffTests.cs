using System.Text.Json;
using KeaGitOps.Core.Diffing;

namespace KeaGitOps.Tests.Diffing;

public sealed class JsonDiffTests
{
    private static List<JsonChange> Diff(string before, string after) =>
        JsonDiff.Compare(JsonDocument.Parse(before).RootElement, JsonDocument.Parse(after).RootElement);

    [Fact]
    public void Key_order_and_layout_are_not_changes()
    {
        Assert.Empty(Diff("""{"a": 1, "b": [1, 2]}""", """{ "b": [1,2],"a":1 }"""));
    }

    [Fact]
    public void Changed_added_and_removed_values_are_reported_by_path_with_their_values()
    {
        var changes = Diff(
            """{"Dhcp4": {"subnet4": [{"id": 1, "pools": [{"pool": "a"}]}], "x": true}}""",
            """{"Dhcp4": {"subnet4": [{"id": 1, "pools": [{"pool": "b"}, {"pool": "c"}]}], "y": false}}""");

        Assert.Equal(
            [
                new JsonChange("Dhcp4.subnet4[id=1].pools[0].pool", ChangeKind.Changed, "\"a\"", "\"b\""),
                new JsonChange("Dhcp4.subnet4[id=1].pools[1]", ChangeKind.Added, null, """{"pool": "c"}"""),
                new JsonChange("Dhcp4.x", ChangeKind.Removed, "true", null),
                new JsonChange("Dhcp4.y", ChangeKind.Added, null, "false"),
            ],
            changes);
    }

    [Fact]
    public void A_reservation_inserted_mid_list_is_one_addition_and_order_alone_is_no_change()
    {
        const string Before = """
            {"Dhcp4": {"subnet4": [{"id": 1, "reservations": [
                {"hw-address": "aa:bb:cc:00:00:01", "ip-address": "192.0.2.11"},
                {"hw-address": "aa:bb:cc:00:00:03", "ip-address": "192.0.2.13", "hostname": "c"}]}]}}
            """;
        const string After = """
            {"Dhcp4": {"subnet4": [{"id": 1, "reservations": [
                {"hw-address": "AA:BB:CC:00:00:01", "ip-address": "192.0.2.11"},
                {"hw-address": "aa:bb:cc:00:00:02", "ip-address": "192.0.2.12"},
                {"hw-address": "aa:bb:cc:00:00:03", "ip-address": "192.0.2.13", "hostname": "d"}]}]}}
            """;

        Assert.Equal(
            [
                new JsonChange("Dhcp4.subnet4[id=1].reservations[hw-address=aa:bb:cc:00:00:01].hw-address", ChangeKind.Changed, "\"aa:bb:cc:00:00:01\"", "\"AA:BB:CC:00:00:01\""),
                new JsonChange("Dhcp4.subnet4[id=1].reservations[hw-address=aa:bb:cc:00:00:03].hostname", ChangeKind.Changed, "\"c\"", "\"d\""),
                new JsonChange("Dhcp4.subnet4[id=1].reservations[hw-address=aa:bb:cc:00:00:02]", ChangeKind.Added, null, """{"hw-address": "aa:bb:cc:00:00:02", "ip-address": "192.0.2.12"}"""),
            ],
            Diff(Before, After));
        Assert.Empty(Diff(Before, Reversed(Before)));
    }

    /// <summary><paramref name="config"/> with the subnet's two reservations swapped.</summary>
    private static string Reversed(string config)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(config)!;
        var reservations = node["Dhcp4"]!["subnet4"]![0]!["reservations"]!.AsArray();
        var items = reservations.Select(r => r!.DeepClone()).Reverse().ToList();
        reservations.Clear();
        items.ForEach(reservations.Add);
        return node.ToJsonString();
    }

    [Fact]
    public void A_list_with_a_key_twice_is_compared_by_position()
    {
        var changes = Diff(
            """{"reservations": [{"ip-address": "192.0.2.1"}, {"ip-address": "192.0.2.1"}]}""",
            """{"reservations": [{"ip-address": "192.0.2.1"}, {"ip-address": "192.0.2.2"}]}""");

        Assert.Equal([new JsonChange("reservations[1].ip-address", ChangeKind.Changed, "\"192.0.2.1\"", "\"192.0.2.2\"")], changes);
    }

    [Fact]
    public void Hook_libraries_compare_by_position_because_kea_calls_them_in_load_order()
    {
        var changes = Diff(
            """{"hooks-libraries": [{"library": "libdhcp_lease_cmds.so"}, {"library": "libdhcp_ha.so"}]}""",
            """{"hooks-libraries": [{"library": "libdhcp_ha.so"}, {"library": "libdhcp_lease_cmds.so"}]}""");

        Assert.Equal(["hooks-libraries[0].library", "hooks-libraries[1].library"], changes.Select(c => c.Path));
    }

    [Fact]
    public void A_hand_edited_option_with_a_code_that_is_not_a_number_is_compared_not_thrown_on()
    {
        var changes = Diff("""{"option-data": [{"code": "six", "data": "a"}]}""", """{"option-data": [{"code": null, "data": "b"}]}""");

        Assert.Equal(2, changes.Count);
    }

    [Fact]
    public void A_value_that_changes_type_is_one_change()
    {
        var change = Assert.Single(Diff("""{"a": {"b": 1}}""", """{"a": [1]}"""));

        Assert.Equal(("a", ChangeKind.Changed), (change.Path, change.Kind));
    }
}
