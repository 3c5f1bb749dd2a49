using System.Text.Json;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Kea;

/// <summary>
/// Values Kea uses when a key is absent: writing such a value or leaving the key out is the same config.
/// An entry is found by the key and the name of the object or list that holds it (an option's csv-format
/// is under option-data wherever the option is), so any comparer can ask of a path "is this absent key
/// Kea's default here?". Only Kea's own defaults belong here, never keagitops' choices; an entry without a
/// version holds for every Kea version keagitops renders, one with a version overrides it for that version.
/// Most come from Kea's own default tables (Keys/Data/kea-defaults.json, derived from Kea's sources by
/// scripts/kea-keys/derive-defaults.py); the few Kea sets elsewhere in its code are written below.
/// </summary>
public static class KeaDefaults
{
    /// <summary>The option space of an option or option definition that names none: DHCPv4's standard options.</summary>
    public const string OptionSpace = "dhcp4";

    private sealed record Entry(string Parent, string Key, JsonElement Value, KeaVersion? Version = null);

    private static readonly Entry[] Entries =
    [
        .. Derived(),
        Of("lease-database", "persist", "true"),          // memfile's default (Memfile_LeaseMgr)
        Of("interfaces-config", "dhcp-socket-type", "\"raw\""), // IfaceMgr's default for DHCPv4
        Of("Control-agent", "http-port", "8000"),
        Of("loggers", "debuglevel", "0"),                   // LoggingInfo's default
        Of("hooks-libraries", "parameters", "{}"),          // a library given none reads an empty map (LibraryManager: no parameter is found either way)
    ];

    /// <summary>The defaults taken from Kea's own default tables, per version where versions differ.</summary>
    private static List<Entry> Derived()
    {
        using var stream = typeof(KeaDefaults).Assembly.GetManifestResourceStream("kea-keys/kea-defaults.json")
            ?? throw new InvalidOperationException("Kea's default table is not embedded in this build");
        using var document = JsonDocument.Parse(stream);
        var entries = new List<Entry>();
        foreach (var entry in document.RootElement.GetProperty("defaults").EnumerateArray())
        {
            var version = entry.TryGetProperty("version", out var name) ? KeaVersions.Parse(name.GetString()!) : null;
            entries.Add(new Entry(entry.GetProperty("parent").GetString()!, entry.GetProperty("key").GetString()!, entry.GetProperty("value").Clone(), version));
        }

        return entries;
    }

    private static Entry Of(string parent, string key, string json, KeaVersion? version = null)
    {
        using var document = JsonDocument.Parse(json);
        return new Entry(parent, key, document.RootElement.Clone(), version);
    }

    /// <summary>
    /// Kea's value for <paramref name="key"/> left out of an object held by <paramref name="parent"/> (a member
    /// name or a list's name), for <paramref name="version"/> (null: the value every version shares); null
    /// when the table has none.
    /// </summary>
    public static JsonElement? For(string parent, string key, KeaVersion? version = null)
    {
        Entry? shared = null;
        foreach (var entry in Entries)
        {
            if (entry.Parent != parent || entry.Key != key)
            {
                continue;
            }

            if (entry.Version is null)
            {
                shared = entry;
            }
            else if (entry.Version == version)
            {
                return entry.Value;
            }
        }

        return shared?.Value;
    }

    /// <summary>
    /// Whether a change only writes out, or leaves out, what Kea uses anyway: a key added or removed whose
    /// value is Kea's default there (<c>sync-timeout: 60000</c>), or an empty list or map (<c>option-data: []</c>).
    /// </summary>
    public static bool IsDefaultOnly(Diffing.JsonChange change, KeaVersion? version)
    {
        var written = change.Kind switch
        {
            Diffing.ChangeKind.Added => change.After,
            Diffing.ChangeKind.Removed => change.Before,
            _ => null,
        };
        if (written is null)
        {
            return false;
        }

        using var value = JsonDocument.Parse(written);
        var root = value.RootElement;
        return root.ValueKind switch
        {
            JsonValueKind.Array => root.GetArrayLength() == 0,
            JsonValueKind.Object => !root.EnumerateObject().Any(),
            _ => IsDefaultAt(change.Path, root, version),
        };
    }

    /// <summary>Whether <paramref name="value"/> is what Kea uses when <paramref name="key"/> is absent from an object under <paramref name="parent"/>.</summary>
    public static bool IsDefault(string parent, string key, JsonElement value, KeaVersion? version = null) =>
        For(parent, key, version) is { } fallback && JsonElement.DeepEquals(fallback, value);

    /// <summary>
    /// <see cref="IsDefault(string, string, JsonElement, KeaVersion?)"/> by a diff's path such as
    /// <c>Dhcp4.subnet4[id=1].option-data[routers].csv-format</c>: the last name is the key, the name before
    /// it (list positions and keys aside) the parent.
    /// </summary>
    public static bool IsDefaultAt(string path, JsonElement value, KeaVersion? version = null)
    {
        var names = Names(path);
        return names.Count >= 2 && IsDefault(names[^2], names[^1], value, version);
    }

    /// <summary>The member names of a path, its list steps (<c>[3]</c>, <c>[id=1]</c>) left out.</summary>
    private static List<string> Names(string path)
    {
        var names = new List<string>();
        var start = 0;
        var depth = 0; // inside a list step
        for (var i = 0; i <= path.Length; i++)
        {
            var c = i < path.Length ? path[i] : '.';
            if (depth > 0)
            {
                depth -= c == ']' ? 1 : 0;
                start = i + 1;
                continue;
            }

            if (c is '.' or '[')
            {
                if (i > start)
                {
                    names.Add(path[start..i]);
                }

                depth += c == '[' ? 1 : 0;
                start = i + 1;
            }
        }

        return names;
    }
}
