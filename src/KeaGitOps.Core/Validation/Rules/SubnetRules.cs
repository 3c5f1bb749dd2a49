using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Validation.Rules;

/// <summary>Subnets and pools (those of shared networks too): prefixes, ids, overlaps, whether each pool can be split for load-balancing, and shared network names.</summary>
public sealed class SubnetRules : IInventoryRule
{
    public void Check(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        var networks = new Dictionary<string, SharedNetwork>(StringComparer.Ordinal);
        foreach (var network in inventory.SharedNetworks)
        {
            if (!networks.TryAdd(network.Name, network))
            {
                diagnostics.Add(DiagnosticCatalogue.SharedNetworkTwice(network.LocationOf(nameof(SharedNetwork.Name)), network.Name, networks[network.Name].LocationOf(nameof(SharedNetwork.Name))));
            }

            if (network.Subnets.Count < 2)
            {
                diagnostics.Add(DiagnosticCatalogue.SharedNetworkDispensable(network.LocationOf(nameof(SharedNetwork.Name)), network.Name, network.Subnets.Count));
            }
        }

        var ids = new Dictionary<long, Subnet>();
        var ranges = new List<(Ipv4Range Range, Subnet Subnet)>();
        foreach (var subnet in inventory.AllSubnets)
        {
            if (subnet.Id is { } id && !ids.TryAdd(id, subnet))
            {
                diagnostics.Add(DiagnosticCatalogue.SubnetIdTwice(subnet.LocationOf(nameof(Subnet.Id)), id, ids[id].LocationOf(nameof(Subnet.Id))));
            }

            if (SubnetPlan.TryPrefix(subnet, out var prefix, out var canonical))
            {
                if (!canonical)
                {
                    diagnostics.Add(DiagnosticCatalogue.PrefixNotCanonical(subnet.LocationOf(nameof(Subnet.Prefix)), subnet.Prefix, prefix));
                }

                ranges.Add((prefix.Range, subnet));
                CheckPools(inventory, subnet, prefix, diagnostics);
            }
            else if (subnet.Prefix.Length > 0)
            {
                diagnostics.Add(DiagnosticCatalogue.PrefixMalformed(subnet.LocationOf(nameof(Subnet.Prefix)), subnet.Prefix));
            }

            if (subnet.Pools.Count == 0 && subnet.Reservations.Count == 0)
            {
                diagnostics.Add(DiagnosticCatalogue.SubnetEmpty(subnet.Location, subnet.Prefix));
            }
        }

        // Sorted by first address, any overlap shows up between neighbours (kept as the widest so far).
        ranges.Sort((a, b) => a.Range.First.Value.CompareTo(b.Range.First.Value));
        for (var i = 1; i < ranges.Count; i++)
        {
            var previous = ranges[i - 1];
            if (previous.Range.Overlaps(ranges[i].Range))
            {
                var (later, earlier) = Later(ranges[i].Subnet, previous.Subnet);
                diagnostics.Add(DiagnosticCatalogue.SubnetsOverlap(later.LocationOf(nameof(Subnet.Prefix)), later.Prefix, earlier.Prefix, earlier.LocationOf(nameof(Subnet.Prefix))));
                if (previous.Range.Last.Value > ranges[i].Range.Last.Value)
                {
                    ranges[i] = previous;
                }
            }
        }
    }

    private static void CheckPools(InventoryModel inventory, Subnet subnet, Ipv4Prefix prefix, DiagnosticBag diagnostics)
    {
        var pools = new List<(Ipv4Range Range, Located<string> Text)>();
        foreach (var pool in subnet.Pools.Select(p => p.Range))
        {
            if (!Ipv4Range.TryParsePool(pool.Value, out var range))
            {
                diagnostics.Add(DiagnosticCatalogue.PoolMalformed(pool.Location, pool.Value));
                continue;
            }

            if (!prefix.Range.Contains(range))
            {
                diagnostics.Add(DiagnosticCatalogue.PoolOutside(pool.Location, pool.Value, subnet.Prefix));
            }

            if (range.Size < 2 && SubnetPlan.LoadBalancingServers(inventory) is { } pair)
            {
                diagnostics.Add(DiagnosticCatalogue.PoolCannotSplit(pool.Location, pool.Value, pair.Lower.Name, pair.Upper.Name));
            }

            pools.Add((range, pool));
        }

        pools.Sort((a, b) => a.Range.First.Value.CompareTo(b.Range.First.Value));
        for (var i = 1; i < pools.Count; i++)
        {
            if (pools[i - 1].Range.Overlaps(pools[i].Range))
            {
                var (later, earlier) = pools[i].Text.Location.Line >= pools[i - 1].Text.Location.Line ? (pools[i].Text, pools[i - 1].Text) : (pools[i - 1].Text, pools[i].Text);
                diagnostics.Add(DiagnosticCatalogue.PoolsOverlap(later.Location, later.Value, earlier.Value, earlier.Location));
            }
        }
    }

    private static (Subnet Later, Subnet Earlier) Later(Subnet a, Subnet b) =>
        string.CompareOrdinal(a.Location.File, b.Location.File) > 0 || (a.Location.File == b.Location.File && a.Location.Line > b.Location.Line) ? (a, b) : (b, a);
}

/// <summary>Parsed views of a subnet shared by the rules and the renderer.</summary>
public static class SubnetPlan
{
    /// <summary>
    /// In load-balancing, which server serves which half of every pool (<see cref="Ipv4Range.Halves"/>):
    /// the primary the lower, the secondary the upper. Null in other modes, or when the roles do not fit
    /// (ServerRules reports that).
    /// </summary>
    public static (Server Lower, Server Upper)? LoadBalancingServers(InventoryModel inventory) =>
        inventory.HighAvailability.Mode == HaMode.LoadBalancing
        && inventory.Servers.FirstOrDefault(s => s.Role == HaRole.Primary) is { } primary
        && inventory.Servers.FirstOrDefault(s => s.Role == HaRole.Secondary) is { } secondary
            ? (primary, secondary)
            : null;

    public static bool TryPrefix(Subnet subnet, out Ipv4Prefix prefix, out bool canonical) =>
        Ipv4Prefix.TryParse(subnet.Prefix, out prefix, out canonical);

    /// <summary>The subnet's pools that parse, in inventory order, with what the user wrote.</summary>
    public static List<(Ipv4Range Range, Located<string> Text)> Pools(Subnet subnet)
    {
        var pools = new List<(Ipv4Range, Located<string>)>(subnet.Pools.Count);
        foreach (var pool in subnet.Pools)
        {
            if (Ipv4Range.TryParsePool(pool.Range.Value, out var range))
            {
                pools.Add((range, pool.Range));
            }
        }

        return pools;
    }
}
