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
                new JsonChange("Dhcp4.subnet4[0].pools[0].pool", ChangeKind.Changed, "\"a\"", "\"b\""),
                new JsonChange("Dhcp4.subnet4[0].pools[1]", ChangeKind.Added, null, """{"pool": "c"}"""),
                new JsonChange("Dhcp4.x", ChangeKind.Removed, "true", null),
                new JsonChange("Dhcp4.y", ChangeKind.Added, null, "false"),
            ],
            changes);
    }

    [Fact]
    public void A_value_that_changes_type_is_one_change()
    {
        var change = Assert.Single(Diff("""{"a": {"b": 1}}""", """{"a": [1]}"""));

        Assert.Equal(("a", ChangeKind.Changed), (change.Path, change.Kind));
    }
}
