using System.Globalization;
using System.Text.Json;
using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Options;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Diffing;

/// <summary>
/// What identifies an entry of a Kea list whatever its position: subnets by id, reservations by their
/// identifier, options by space and name (or standard code), shared networks, HA peers and loggers by name, Control Agent
/// clients by user. Kea gives the order of these lists no meaning, so comparisons match entries by these
/// keys, and a key is also the readable label of the entry in a path
/// (<c>subnet4[id=1].reservations[hw-address=aa:bb:cc:dd:ee:ff]</c>). Hook libraries are not among them:
/// Kea calls their callouts in load order, so their order is a change.
/// </summary>
public static class KeaListKeys
{
    /// <summary>The key of <paramref name="item"/> in the list named <paramref name="listName"/>, or null when it has none.</summary>
    public static string? KeyOf(string listName, JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return listName switch
        {
            "subnet4" => item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number ? "id=" + id.GetRawText() : null,
            "reservations" => ReservationIdentity.Of(item)?.ToString() ?? (Text(item, "ip-address") is { } address ? "ip-address=" + address : null),
            "option-data" => OptionKey(item),
            "peers" or "loggers" or "shared-networks" => Text(item, "name"),
            "clients" => Text(item, "user"),
            _ => null,
        };
    }

    /// <summary>
    /// The keys of every entry of <paramref name="list"/>, or null when the list cannot be matched by key
    /// (an entry without one, or one key twice: then only positions can pair its entries).
    /// </summary>
    /// <param name="keyOf">what identifies an entry; null for <see cref="KeyOf"/>.</param>
    /// <param name="repeats">whether a key may stand twice (the caller pairs such entries itself).</param>
    public static List<string>? KeysOf(string listName, JsonElement list, ListEntryKey? keyOf = null, bool repeats = false)
    {
        keyOf ??= KeyOf;
        var keys = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list.EnumerateArray())
        {
            if (keyOf(listName, item) is not { } key || (!seen.Add(key) && !repeats))
            {
                return null;
            }

            keys.Add(key);
        }

        return keys;
    }

    /// <summary>"routers", or "vendor-4491/tftp-servers" outside the dhcp4 space; a nameless standard option by its name.</summary>
    private static string? OptionKey(JsonElement option)
    {
        var space = Text(option, "space") ?? "dhcp4";
        var code = option.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt64(out var n) ? n : (long?)null;
        var name = Text(option, "name")
            ?? (space == "dhcp4" ? OptionDefinitions.Find(code)?.Name : null)
            ?? code?.ToString(CultureInfo.InvariantCulture);
        return name is null ? null : space == "dhcp4" ? name : $"{space}/{name}";
    }
}
