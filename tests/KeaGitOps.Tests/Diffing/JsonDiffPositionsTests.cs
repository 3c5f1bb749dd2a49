using System.Text.Json;
using KeaGitOps.Core.Diffing;

namespace KeaGitOps.Tests.Diffing;

/// <summary>What JsonDiff gives a caller that names entries by position (import's round trip): each step of a change with its positions.</summary>
public sealed class JsonDiffPositionsTests
{
    private static List<JsonChange> Compare(string before, string after, ListEntryKey? keyOf = null, bool repeats = false)
    {
        using var left = JsonDocument.Parse(before);
        using var right = JsonDocument.Parse(after);
        return keyOf is null ? JsonDiff.Compare(left.RootElement, right.RootElement) : JsonDiff.Compare(left.RootElement, right.RootElement, keyOf, repeats);
    }

    [Fact]
    public void A_change_in_an_entry_paired_by_key_carries_the_entrys_position_on_each_side()
    {
        var change = Assert.Single(Compare(
            """{ "reservations": [ { "hw-address": "aa:bb:cc:00:00:01", "hostname": "a" }, { "hw-address": "aa:bb:cc:00:00:02", "hostname": "b" } ] }""",
            """{ "reservations": [ { "hw-address": "aa:bb:cc:00:00:02", "hostname": "c" }, { "hw-address": "aa:bb:cc:00:00:01", "hostname": "a" } ] }"""));

        Assert.Equal("reservations[hw-address=aa:bb:cc:00:00:02].hostname", change.Path);
        Assert.Equal(
            [new JsonPathSegment("reservations", null, null, null), new JsonPathSegment(null, "hw-address=aa:bb:cc:00:00:02", 1, 0), new JsonPathSegment("hostname", null, null, null)],
            change.Segments);
    }

    [Fact]
    public void Repeated_keys_pair_by_position_unless_asked_to_pair_with_the_first()
    {
        const string Before = """{ "hooks": [ { "library": "a.so", "x": 1 }, { "library": "a.so", "x": 1 }, { "library": "b.so" } ] }""";
        const string After = """{ "hooks": [ { "library": "a.so", "x": 1 }, { "library": "b.so" } ] }""";
        static string? ByLibrary(string list, JsonElement item) => item.TryGetProperty("library", out var library) ? library.GetString() : null;

        Assert.Equal(["hooks[1].library", "hooks[1].x", "hooks[2]"], Compare(Before, After, ByLibrary).Select(c => c.Path));
        Assert.Empty(Compare(Before, After, ByLibrary, repeats: true));
        Assert.Equal(["hooks[c.so]"], Compare(Before, After.Replace("b.so", "c.so", StringComparison.Ordinal), ByLibrary, repeats: true).Where(c => c.Kind == ChangeKind.Added).Select(c => c.Path));
    }
}
