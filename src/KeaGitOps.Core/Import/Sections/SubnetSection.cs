using System.Text.Json;
using KeaGitOps.Core.Addressing;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>
/// One entry of Dhcp4.subnet4: its id (Kea 2.2's automatic numbering made explicit), prefix, comment, pools
/// (load-balancing halves folded back), timers, options and reservations.
/// </summary>
internal static class SubnetSection
{
    public static void Read(SectionContext c, JsonElement subnet, string path)
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
            settings.Add(new Setting("pools", new YamlList(pools.Select(YamlValue.String).ToList())));
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

        c.Snapshot.Subnets.Add(new ImportedSubnet(id, settings, reservations));
    }

    /// <summary>
    /// The subnet's pools as the inventory writes them. In load-balancing mode keagitops renders each
    /// pool as two halves with the servers' HA_ classes, so adjacent halves are folded back into one.
    /// </summary>
    private static List<string> Pools(SectionContext c, JsonElement subnet, string path)
    {
        var pools = new List<(string Text, Ipv4Range? Range, string? Class, string Path)>();
        if (Member(subnet, "pools", JsonValueKind.Array) is not { } list)
        {
            return [];
        }

        var i = 0;
        foreach (var pool in list.EnumerateArray())
        {
            var poolPath = $"{path}.pools[{i++}]";
            if (!c.OnlyKnown(pool, poolPath, "pool", "client-classes", "client-class"))
            {
                continue;
            }

            var text = Text(pool, "pool") ?? string.Empty;
            string? poolClass = null;
            if (Member(pool, "client-classes", JsonValueKind.Array) is { } classes)
            {
                var names = classes.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.String ? c.GetString() : c.GetRawText()).ToList();
                poolClass = names.Count == 1 ? names[0] : string.Join(",", names);
            }
            else if (Text(pool, "client-class") is { } single)
            {
                poolClass = single;
            }

            if (poolClass is not null && (c.Scopes is not { } scopes || (poolClass != scopes.First && poolClass != scopes.Second)))
            {
                c.NotImported(poolPath + (pool.TryGetProperty("client-classes", out _) ? ".client-classes" : ".client-class"), $"{poolClass}: only the HA scope classes of a load-balancing pair are rendered");
                poolClass = null;
            }

            pools.Add((text, Ipv4Range.TryParsePool(text, out var range) ? range : null, poolClass, poolPath));
        }

        var result = new List<string>();
        for (var k = 0; k < pools.Count; k++)
        {
            var (text, range, poolClass, poolPath) = pools[k];
            if (poolClass is not null && c.Scopes is { } s && poolClass == s.First && k + 1 < pools.Count
                && pools[k + 1].Class == s.Second && range is { } low && pools[k + 1].Range is { } high && low.Last.Value + 1 == high.First.Value)
            {
                var whole = new Ipv4Range(low.First, high.Last);
                var keaSplit = low.First.Value + ((whole.Size + 1) / 2) - 1;
                if (keaSplit != low.Last.Value)
                {
                    c.Note(poolPath, $"{low} and {high} folded into {whole}; keagitops splits it in halves at {new Ipv4Address((uint)keaSplit)}");
                }

                result.Add(whole.ToString());
                k++;
                continue;
            }

            if (poolClass is not null)
            {
                c.Note(poolPath, $"{text} ({poolClass}) has no adjacent partner half: imported as a whole pool, which keagitops splits between the servers");
            }
            else if (c.Scopes is not null)
            {
                c.Note(poolPath, $"{text} is not split between the servers; keagitops renders it as two halves (load-balancing needs that)");
            }

            result.Add(range?.ToString() ?? text);
        }

        return result;
    }
}
