using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Validation.Rules;

/// <summary>
/// Pools that cover addresses no client may be given. Kea knows nothing of the hosts around it: it
/// leases every pool address that is neither leased nor reserved, so a pool spanning the whole subnet
/// hands out the router, both DHCP servers' own addresses, and the network and broadcast addresses
/// (measured on Kea 3.0 with 192.168.1.0/24 as a pool). A reservation makes Kea withhold the address,
/// which is why a reserved one is only a warning.
/// </summary>
public sealed class PoolAddressRules : IInventoryRule
{
    public void Check(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        foreach (var subnet in inventory.AllSubnets)
        {
            if (!SubnetPlan.TryPrefix(subnet, out var prefix, out _))
            {
                continue;
            }

            var pools = SubnetPlan.Pools(subnet);
            if (pools.Count == 0)
            {
                continue;
            }

            var infrastructure = InfrastructureAddresses.For(inventory, subnet, prefix);
            var inPools = infrastructure.Values.Where(i => pools.Any(p => p.Range.Contains(i.Address))).ToList();
            if (inPools.Count == 0)
            {
                continue;
            }

            var reservedBy = ReservationsOf(subnet, inPools);
            foreach (var (range, text) in pools)
            {
                var covered = inPools.Where(i => range.Contains(i.Address)).OrderBy(i => i.Address.Value).ToList();
                if (covered.Count == 0)
                {
                    continue;
                }

                var rest = range.Without(covered.Select(i => i.Address));
                var leased = covered.Where(i => !reservedBy.ContainsKey(i.Address)).ToList();
                if (leased.Count > 0)
                {
                    diagnostics.Add(DiagnosticCatalogue.PoolLeases(
                        text.Location, text.Value, [.. leased.Select(i => $"{i.Address} ({i.What})")], rest, Related(leased)));
                }

                // A reserved server, router, network or broadcast address is already an error on the
                // reservation itself (KGO215, KGO216): saying it again here adds nothing.
                var protectedOnly = covered
                    .Where(i => reservedBy.ContainsKey(i.Address) && i.Kind == InfrastructureKind.OptionAddress)
                    .ToList();
                if (protectedOnly.Count > 0)
                {
                    diagnostics.Add(DiagnosticCatalogue.PoolCoversReserved(
                        text.Location,
                        text.Value,
                        [.. protectedOnly.Select(i => $"{i.Address} ({i.What}), reserved for {reservedBy[i.Address].Describe()} at {reservedBy[i.Address].LocationOf(nameof(Reservation.IpAddress))}")],
                        rest,
                        Related(protectedOnly)));
                }
            }
        }
    }

    /// <summary>Which of <paramref name="addresses"/> a reservation of the subnet holds: one pass over its reservations.</summary>
    private static Dictionary<Ipv4Address, Reservation> ReservationsOf(Subnet subnet, List<InfrastructureAddress> addresses)
    {
        var wanted = addresses.Select(a => a.Address).ToHashSet();
        var reserved = new Dictionary<Ipv4Address, Reservation>();
        foreach (var reservation in subnet.Reservations)
        {
            if (reservation.IpAddress is { } address && wanted.Contains(address))
            {
                reserved.TryAdd(address, reservation);
            }
        }

        return reserved;
    }

    private static SourceLocation[] Related(List<InfrastructureAddress> addresses) =>
        [.. addresses.Select(a => a.Location).Where(l => !l.IsNone).Distinct()];
}
