using System.Text.Json;
using KeaGitOps.Core.Addressing;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>
/// One entry of Dhcp4.subnet4 (or of a shared network's subnet4): its id (Kea 2.2's automatic numbering made explicit), prefix, comment, pools
/// (load-balancing halves folded back), timers, options and reservations.
/// </summary>
internal static class SubnetSection
{
    /// <param name="network">the name of the shared network holding the subnet, or null.</param>
    public static void Read(SectionContext c, JsonElement subnet, string path, string? network)
    {
        var keaKeys = new List<Setting>();
        if (!c.KeepKeaKeys(subnet, path, (key, value) => keaKeys.Add(new Setting(key, value)), ["id", "subnet", "pools", "renew-timer", "rebind-timer", "valid-lifetime", "option-data", "reservations", "user-context"]))
        {
            return;
        }

        if (SectionContext.Integer(subnet, "id") is not { } id || id == 0)
        {
            // Kea 2.2 numbers subnets without an id 1, 2, 3… in the order it reads them (explicit ids
            // do not advance the count; a clash is a config error); 3.0 requires the id.
            id = ++c.AutomaticSubnetIds;
            c.Note(path + ".id", c.SharedNetworksHaveSubnets
                ? $"absent: written as id {id}, but Kea 2.2 also numbers the subnets of shared-networks, so the id it uses may differ: check the subnet-id of this subnet's leases before the first deploy (Kea 3.0 requires ids)"
                : $"absent: Kea 2.2 numbers this subnet {id}; the inventory writes id {id} so it stays stable (Kea 3.0 requires ids)");
        }

        var settings = new List<Setting> { new("subnet", YamlValue.String(Text(subnet, "subnet") ?? string.Empty)) };
        if (Member(subnet, "user-context", JsonValueKind.Object) is { } context)
        {
            c.KeepKeaKeys(context, path + ".user-context", (key, value) => keaKeys.Add(new Setting("user-context." + key, value)), ["comment"]);
            if (Text(context, "comment") is { } comment)
            {
                settings.Add(new Setting("comment", YamlValue.String(comment)));
            }
        }

        var pools = Pools(c, subnet, path);
        if (pools.Count > 0)
        {
            settings.Add(new Setting("pools", new YamlList(pools)));
        }

        settings.AddRange(TimersSection.Read(subnet));
        settings.AddRange(OptionDataSection.Read(c, subnet, path, string.Empty));
        settings.AddRange(keaKeys);
        var reservations = new List<ImportedReservation>();
        if (Member(subnet, "reservations", JsonValueKind.Array) is { } list)
        {
            var i = 0;
            foreach (var reservation in list.EnumerateArray())
            {
                if (ReservationSection.Read(c, reservation, $"{path}.reservations[{i++}]") is { } imported)
                {
                    reservations.Add(imported);
                }
            }
        }

        c.Snapshot.Subnets.Add(new ImportedSubnet(id, settings, reservations, network));
    }

    /// <summary>One pool as read: its range, the HA scope class guarding it (alone or combined), the pool's own classes and other settings.</summary>
    private sealed record ReadPool(string Text, Ipv4Range? Range, string? Scope, IReadOnlyList<string> Classes, IReadOnlyList<Setting> Settings, string Path)
    {
        /// <summary>Whether two halves carry the same pool's settings (only then are they folded into one).</summary>
        public bool SameSettings(ReadPool other) => Classes.SequenceEqual(other.Classes, StringComparer.Ordinal) && Settings.SequenceEqual(other.Settings);

        public YamlValue ToValue(string range)
        {
            if (Classes.Count == 0 && Settings.Count == 0)
            {
                return YamlValue.String(range);
            }

            var entries = new List<KeyValuePair<string, YamlValue>> { new("pool", YamlValue.String(range)) };
            if (Classes.Count > 0)
            {
                entries.Add(new("client-classes", new YamlList([.. Classes.Select(YamlValue.String)])));
            }

            entries.AddRange(Settings.Select(s => KeyValuePair.Create(s.Key, s.Value)));
            return new YamlMap(entries);
        }
    }

    /// <summary>
    /// The subnet's pools as the inventory writes them: a range, or a mapping when the pool has classes,
    /// options or other Kea keys. In load-balancing mode keagitops renders each pool as two halves guarded
    /// by the servers' HA_ classes (combined with the pool's own classes where it has any), so adjacent
    /// halves with the same settings are folded back into one.
    /// </summary>
    private static List<YamlValue> Pools(SectionContext c, JsonElement subnet, string path)
    {
        var pools = new List<ReadPool>();
        if (Member(subnet, "pools", JsonValueKind.Array) is not { } list)
        {
            return [];
        }

        var i = 0;
        foreach (var pool in list.EnumerateArray())
        {
            var poolPath = $"{path}.pools[{i++}]";
            var settings = new List<Setting>();
            if (!c.KeepKeaKeys(pool, poolPath, (key, value) => settings.Add(new Setting(key, value)), ["pool", "client-classes", "client-class", "option-data"]))
            {
                continue;
            }

            var options = OptionDataSection.Read(c, pool, poolPath, string.Empty);
            if (options.Count > 0)
            {
                settings.Insert(0, new Setting("option-data", new YamlMap([.. options.Select(o => KeyValuePair.Create(o.Key["option-data.".Length..], o.Value))])));
            }

            var (scope, classes) = Guard(c, pool);
            var text = Text(pool, "pool") ?? string.Empty;
            pools.Add(new ReadPool(text, Ipv4Range.TryParsePool(text, out var range) ? range : null, scope, classes, settings, poolPath));
        }

        var result = new List<YamlValue>();
        for (var k = 0; k < pools.Count; k++)
        {
            var pool = pools[k];
            if (pool.Scope is not null && c.Scopes is { } s && pool.Scope == s.First && k + 1 < pools.Count
                && pools[k + 1].Scope == s.Second && pool.Range is { } low && pools[k + 1].Range is { } high && low.Last.Value + 1 == high.First.Value
                && pool.SameSettings(pools[k + 1]))
            {
                var whole = new Ipv4Range(low.First, high.Last);
                var keaSplit = low.First.Value + ((whole.Size + 1) / 2) - 1;
                if (keaSplit != low.Last.Value)
                {
                    c.Note(pool.Path, $"{low} and {high} folded into {whole}; keagitops splits it in halves at {new Ipv4Address((uint)keaSplit)}");
                }

                result.Add(pool.ToValue(whole.ToString()));
                k++;
                continue;
            }

            if (pool.Scope is not null)
            {
                c.Note(pool.Path, $"{pool.Text} ({pool.Scope}) has no adjacent partner half with the same settings: imported as a whole pool, which keagitops splits between the servers");
            }
            else if (c.Scopes is not null)
            {
                c.Note(pool.Path, pool.Range is { Size: 1 }
                    ? $"{pool.Text} is not split between the servers; keagitops gives its one address to the primary's scope ({c.Scopes.Value.First})"
                    : $"{pool.Text} is not split between the servers; keagitops renders it as two halves (load-balancing needs that)");
            }

            result.Add(pool.ToValue(pool.Range?.ToString() ?? pool.Text));
        }

        return result;
    }

    /// <summary>
    /// The classes guarding a pool (client-classes, or Kea 2.x's client-class), split into the HA scope class
    /// keagitops renders itself (written alone, or inside a class it combined) and the pool's own classes.
    /// </summary>
    private static (string? Scope, List<string> Classes) Guard(SectionContext c, JsonElement pool)
    {
        var names = Member(pool, "client-classes", JsonValueKind.Array) is { } list
            ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : Text(pool, "client-class") is { } single ? [single] : [];
        string? scope = null;
        var classes = new List<string>();
        foreach (var name in names)
        {
            if (c.CombinedPoolClasses.TryGetValue(name, out var combined))
            {
                scope ??= combined.Scope;
                classes.AddRange(combined.Classes.Where(x => !classes.Contains(x, StringComparer.Ordinal)));
            }
            else if (c.Scopes is { } scopes && (name == scopes.First || name == scopes.Second))
            {
                scope ??= name;
            }
            else if (c.ScopeOnlyClasses.TryGetValue(name, out var pinned))
            {
                scope ??= pinned; // a pool pinned to one server: read as one half of keagitops's split
            }
            else if (!classes.Contains(name, StringComparer.Ordinal))
            {
                classes.Add(name);
            }
        }

        return (scope, classes);
    }
}
