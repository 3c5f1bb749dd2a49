using System.Globalization;
using System.Text.Json;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Kea;

namespace KeaGitOps.Remote.Status;

/// <summary>
/// Whether the config kea-dhcp4 runs (config-get) is the one its file says. Kea's answer is the file
/// as Kea understood it: every default written out, reservations in its own order, pools without spaces,
/// option names with their codes. So the comparison is one way: every setting the file gives must run
/// with the same value (a member Kea adds is a default, not a drift), while a list entry (a subnet, a
/// reservation, an option, a pool) that runs without being in the file is a drift: that is what an
/// API change (config-set, a runtime reservation) leaves behind.
/// </summary>
public static class RunningConfigDrift
{
    /// <summary>Settings Kea runs under another name than the file's (Kea 3.0 turns control-socket into control-sockets).</summary>
    private static readonly HashSet<string> Renamed = new(StringComparer.Ordinal) { "Dhcp4.control-socket" };

    /// <summary>The differences in words ("Dhcp4.valid-lifetime: file 86400, running 7200"), at most <paramref name="limit"/>.</summary>
    public static IReadOnlyList<string> Compare(JsonElement file, JsonElement running, int limit = 20)
    {
        var changes = JsonDiff.Compare(file, running, KeyOf);
        var differences = new List<string>();
        foreach (var change in changes)
        {
            if (KeaProvenance.IsAt(NamesOf(change).Take(3).ToList()) || Renamed.Contains(change.Path))
            {
                continue;
            }

            var entry = change.Segments.Count > 0 && change.Segments[^1].Name is null;
            var text = change.Kind switch
            {
                ChangeKind.Added when entry => $"{change.Path}: running, not in the file",
                ChangeKind.Added => null,
                ChangeKind.Removed => $"{change.Path}: in the file, not running",
                _ => SameValue(change.Before, change.After) ? null : $"{change.Path}: file {Short(change.Before)}, running {Short(change.After)}",
            };
            if (text is not null)
            {
                differences.Add(text);
            }
        }

        return differences.Count > limit ? [.. differences.Take(limit), $"… and {differences.Count - limit} more"] : differences;
    }

    /// <summary>Kea's keys, plus pools by their range and hook libraries by file name (Kea writes both in its own spelling).</summary>
    private static string? KeyOf(string listName, JsonElement item) => listName switch
    {
        "pools" when item.ValueKind == JsonValueKind.Object && item.TryGetProperty("pool", out var pool) && pool.ValueKind == JsonValueKind.String
            => Normal(pool.GetString()!),
        "hooks-libraries" when item.ValueKind == JsonValueKind.Object && item.TryGetProperty("library", out var library) && library.ValueKind == JsonValueKind.String
            => Path.GetFileName(library.GetString()!),
        _ => KeaListKeys.KeyOf(listName, item),
    };

    /// <summary>The change's path as member names and list positions; anything under the provenance object is keagitops' own (a render's commit and digests, not a setting).</summary>
    private static List<object> NamesOf(JsonChange change) =>
        change.Segments.Select(s => s.Name is { } name ? (object)name : s.Before ?? s.After ?? 0).ToList();

    /// <summary>Kea's spelling of a value the file spells otherwise: "a - b" and "a-b", "AA:BB" and "aa:bb", 1 and 1.0.</summary>
    private static bool SameValue(string? before, string? after)
    {
        if (before is null || after is null)
        {
            return before == after;
        }

        if (double.TryParse(before, NumberStyles.Float, CultureInfo.InvariantCulture, out var left)
            && double.TryParse(after, NumberStyles.Float, CultureInfo.InvariantCulture, out var right))
        {
            return left.Equals(right);
        }

        return string.Equals(Normal(before), Normal(after), StringComparison.OrdinalIgnoreCase);
    }

    private static string Normal(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static string Short(string? json) => json is null ? "(none)" : json.Length <= 60 ? json : json[..57] + "…";
}
