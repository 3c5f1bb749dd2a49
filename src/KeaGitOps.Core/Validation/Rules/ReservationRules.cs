using System.Text.RegularExpressions;
using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Validation.Rules;

/// <summary>
/// Reservations: identifiers (one device reserved twice through a client-id made from its MAC too),
/// addresses, hostnames, and the pools they fill, including the user's incident (one address reserved
/// for two devices). One pass with hash indexes, so 100,000 reservations stay linear.
/// </summary>
public sealed partial class ReservationRules : IInventoryRule
{
    public void Check(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        // Sized once: grown step by step to 100,000 entries they would rehash and reallocate many times.
        var count = inventory.AllSubnets.Sum(s => s.Reservations.Count);
        var byAddress = new Dictionary<Ipv4Address, Reservation>(count);
        var byHostname = new Dictionary<string, Reservation>(count, StringComparer.OrdinalIgnoreCase);
        var serverAddresses = InfrastructureAddresses.Servers(inventory); // two servers with one address are ServerRules' finding
        var halves = SubnetPlan.LoadBalancingServers(inventory);

        foreach (var subnet in inventory.AllSubnets)
        {
            var hasPrefix = SubnetPlan.TryPrefix(subnet, out var prefix, out _);
            var pools = SubnetPlan.Pools(subnet);
            var inPool = new List<Reservation>?[pools.Count];
            var routers = InfrastructureAddresses.Routers(inventory, subnet);
            var byIdentifier = new Dictionary<ReservationIdentity, Reservation>(subnet.Reservations.Count);
            Reservation? firstInPool = null;

            foreach (var reservation in subnet.Reservations)
            {
                CheckIdentifier(reservation, byIdentifier, diagnostics);
                CheckHostname(reservation, byHostname, diagnostics);
                if (reservation.IpAddress is not { } address)
                {
                    continue;
                }

                var at = reservation.LocationOf(nameof(Reservation.IpAddress));
                if (byAddress.TryGetValue(address, out var first))
                {
                    diagnostics.Add(DiagnosticCatalogue.AddressReservedTwice(at, address, reservation.Describe(), first.Describe(), first.LocationOf(nameof(Reservation.IpAddress))));
                }
                else
                {
                    byAddress.Add(address, reservation);
                }

                if (hasPrefix && !prefix.Range.Contains(address))
                {
                    diagnostics.Add(DiagnosticCatalogue.ReservationNotInSubnet(at, address, subnet.Prefix));
                }
                else if (hasPrefix && prefix.Length < 31 && (address == prefix.Range.First || address == prefix.Range.Last))
                {
                    diagnostics.Add(DiagnosticCatalogue.ReservationOnNetworkOrBroadcast(at, address, address == prefix.Range.First ? "network" : "broadcast", subnet.Prefix));
                }

                if (serverAddresses.TryGetValue(address, out var server))
                {
                    diagnostics.Add(DiagnosticCatalogue.ReservationOnInfrastructure(at, address, $"the address of DHCP server {server.Name}"));
                }
                else if (routers.Contains(address))
                {
                    diagnostics.Add(DiagnosticCatalogue.ReservationOnInfrastructure(at, address, "the subnet's router (option routers)"));
                }

                for (var i = 0; i < pools.Count; i++)
                {
                    if (pools[i].Range.Contains(address))
                    {
                        (inPool[i] ??= []).Add(reservation);
                        firstInPool ??= reservation;
                        break;
                    }
                }
            }

            CheckDerivedClientIds(subnet, byIdentifier, diagnostics);
            if (firstInPool is not null)
            {
                ReportInPool(pools, inPool, firstInPool, diagnostics);
                CheckExhausted(subnet, pools, inPool, halves, diagnostics);
            }
        }
    }

    /// <summary>
    /// One warning a subnet, at the first pool that holds reservations: pools split around
    /// infrastructure addresses would otherwise repeat the same advice once a piece.
    /// </summary>
    private static void ReportInPool(List<(Ipv4Range Range, Located<string> Text)> pools, List<Reservation>?[] inPool, Reservation first, DiagnosticBag diagnostics)
    {
        var holding = Enumerable.Range(0, pools.Count).Where(i => inPool[i] is not null).ToList();
        var pool = pools[holding[0]].Text;
        diagnostics.Add(DiagnosticCatalogue.ReservationsInsidePool(
            pool.Location,
            [.. holding.Select(i => pools[i].Text.Value)],
            holding.Sum(i => inPool[i]!.Count),
            $"{first.Describe()} {first.IpAddress} at {first.LocationOf(nameof(Reservation.IpAddress))}"));
    }

    /// <summary>
    /// Stork's address_pools_exhausted_by_reservations, and in load-balancing the same for each server's
    /// halves of the subnet's pools: while both servers are up, a client is served only from its server's
    /// halves (Kea moves on to the next pool the client may use, so one full half alone is harmless).
    /// </summary>
    private static void CheckExhausted(Subnet subnet, List<(Ipv4Range Range, Located<string> Text)> pools, List<Reservation>?[] inPool, (Server Lower, Server Upper)? halves, DiagnosticBag diagnostics)
    {
        var free = (Lower: 0UL, Upper: 0UL);
        var split = (Lower: new List<Ipv4Range>(), Upper: new List<Ipv4Range>());
        var reported = 0;
        for (var i = 0; i < pools.Count; i++)
        {
            var (range, text) = pools[i];
            var reserved = inPool[i]?.Select(r => r.IpAddress!.Value).ToHashSet() ?? [];
            if ((ulong)reserved.Count >= range.Size)
            {
                diagnostics.Add(DiagnosticCatalogue.PoolExhausted(text.Location, text.Value, range.Size));
                reported++;
            }

            if (halves is not null && range.Halves() is { } parts)
            {
                var lowerReserved = (ulong)reserved.Count(parts.Lower.Contains);
                free.Lower += parts.Lower.Size - lowerReserved;
                free.Upper += parts.Upper.Size - ((ulong)reserved.Count - lowerReserved);
                split.Lower.Add(parts.Lower);
                split.Upper.Add(parts.Upper);
            }
        }

        if (halves is not { } servers || reported == pools.Count || split.Lower.Count == 0)
        {
            return; // every pool is full: said above, once a pool
        }

        var at = pools[0].Text.Location;
        if (free.Lower == 0)
        {
            diagnostics.Add(DiagnosticCatalogue.ScopeExhausted(at, servers.Lower.Name, subnet.Prefix, split.Lower, split.Lower.Aggregate(0UL, (sum, h) => sum + h.Size)));
        }

        if (free.Upper == 0)
        {
            diagnostics.Add(DiagnosticCatalogue.ScopeExhausted(at, servers.Upper.Name, subnet.Prefix, split.Upper, split.Upper.Aggregate(0UL, (sum, h) => sum + h.Size)));
        }
    }

    /// <summary>
    /// A client-id built from a MAC that the subnet also reserves by hw-address is one device reserved
    /// twice. Measured on Kea 3.0: Kea looks identifiers up in host-reservation-identifiers order
    /// (hw-address first by default), so it offers the hw-address reservation and the client-id one never
    /// takes effect. The inventory has no global reservations and no way to reorder the identifiers.
    /// </summary>
    private static void CheckDerivedClientIds(Subnet subnet, Dictionary<ReservationIdentity, Reservation> byIdentifier, DiagnosticBag diagnostics)
    {
        foreach (var reservation in subnet.Reservations)
        {
            if (reservation.ClientId is not { } clientId || reservation.HwAddress is not null
                || HardwareAddress.NormaliseClientId(clientId) is not { } normal
                || HardwareAddress.MacInClientId(normal) is not { } derived
                || ReservationIdentity.Parse(IdentifierType.HwAddress, derived.Mac) is not { } mac
                || !byIdentifier.TryGetValue(mac, out var byMac))
            {
                continue;
            }

            diagnostics.Add(DiagnosticCatalogue.DeviceTwice(
                reservation.LocationOf(nameof(Reservation.ClientId)),
                clientId,
                derived.Mac,
                derived.Derivation,
                byMac.Describe(),
                byMac.IpAddress,
                reservation.IpAddress,
                byMac.LocationOf(nameof(Reservation.HwAddress))));
        }
    }

    private static void CheckIdentifier(Reservation reservation, Dictionary<ReservationIdentity, Reservation> byIdentifier, DiagnosticBag diagnostics)
    {
        var written = reservation.Identifiers.ToList();
        if (written.Count != 1)
        {
            diagnostics.Add(DiagnosticCatalogue.IdentifierCount(reservation.Location, [.. written.Select(w => ReservationIdentity.KeaNameOf(w.Type))]));
            return;
        }

        var (type, value, property) = written[0];
        var at = reservation.LocationOf(property);
        ReservationIdentity? identity;
        if (type == IdentifierType.HwAddress)
        {
            // The inventory is stricter than Kea: six two-digit octets with colons, then Kea's reading of them.
            identity = HardwareAddress.NormaliseMac(value) is not null ? ReservationIdentity.Parse(type, value) : null;
            if (identity is null)
            {
                diagnostics.Add(DiagnosticCatalogue.MacMalformed(at, value, HardwareAddress.DescribeMacProblem(value)!));
            }
        }
        else
        {
            identity = type != IdentifierType.ClientId || HardwareAddress.NormaliseClientId(value) is not null ? ReservationIdentity.Parse(type, value) : null;
            if (identity is null)
            {
                diagnostics.Add(DiagnosticCatalogue.IdentifierMalformed(at, ReservationIdentity.KeaNameOf(type), value));
            }
        }

        if (identity is not { } key)
        {
            return;
        }

        if (byIdentifier.TryGetValue(key, out var first))
        {
            diagnostics.Add(DiagnosticCatalogue.IdentifierTwice(at, $"{key.KeaName} {key.Value}", first.Describe(), first.LocationOf(first.Identifiers.First().Property)));
        }
        else
        {
            byIdentifier.Add(key, reservation);
        }
    }

    private static void CheckHostname(Reservation reservation, Dictionary<string, Reservation> byHostname, DiagnosticBag diagnostics)
    {
        if (reservation.Hostname is not { } hostname)
        {
            return;
        }

        var at = reservation.LocationOf(nameof(Reservation.Hostname));
        if (!IsDnsName(hostname))
        {
            diagnostics.Add(DiagnosticCatalogue.HostnameInvalid(at, hostname));
        }
        else if (byHostname.TryGetValue(hostname, out var first))
        {
            diagnostics.Add(DiagnosticCatalogue.HostnameTwice(at, hostname, first.LocationOf(nameof(Reservation.Hostname))));
        }
        else
        {
            byHostname.Add(hostname, reservation);
        }
    }

    /// <summary>RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens.</summary>
    internal static bool IsDnsName(string name) => name.Length <= 253 && DnsName().IsMatch(name);

    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsName();
}
