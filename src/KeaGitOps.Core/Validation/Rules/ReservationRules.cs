using System.Text.RegularExpressions;
using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Validation.Rules;

/// <summary>
/// Reservations: identifiers, addresses and hostnames, including the user's incident (one address
/// reserved for two devices). One pass with hash indexes, so 100,000 reservations stay linear.
/// </summary>
public sealed partial class ReservationRules : IInventoryRule
{
    public void Check(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        // Sized once: grown step by step to 100,000 entries they would rehash and reallocate many times.
        var count = inventory.Subnets.Sum(s => s.Reservations.Count);
        var byAddress = new Dictionary<Ipv4Address, Reservation>(count);
        var byHostname = new Dictionary<string, Reservation>(count, StringComparer.OrdinalIgnoreCase);
        var serverAddresses = new Dictionary<Ipv4Address, string>();
        foreach (var server in inventory.Servers.Where(s => s.Address is not null))
        {
            serverAddresses.TryAdd(server.Address!.Value, server.Name); // two servers with one address are ServerRules' finding
        }

        var globalRouters = Routers(inventory.OptionData);

        foreach (var subnet in inventory.Subnets)
        {
            var hasPrefix = SubnetPlan.TryPrefix(subnet, out var prefix, out _);
            var pools = SubnetPlan.Pools(subnet);
            var inPool = new List<Reservation>?[pools.Count];
            var routers = subnet.OptionData.Any(o => o.Name == "routers") ? Routers(subnet.OptionData) : globalRouters;
            var byIdentifier = new Dictionary<string, Reservation>(subnet.Reservations.Count, StringComparer.Ordinal);

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
                    diagnostics.Add(DiagnosticCatalogue.ReservationOnInfrastructure(at, address, $"the address of DHCP server {server}"));
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
                        break;
                    }
                }
            }

            for (var i = 0; i < pools.Count; i++)
            {
                if (inPool[i] is { } inside)
                {
                    var pool = pools[i].Text;
                    var first = inside[0];
                    diagnostics.Add(DiagnosticCatalogue.ReservationsInsidePool(pool.Location, pool.Value, inside.Count, $"{first.Describe()} {first.IpAddress} at {first.LocationOf(nameof(Reservation.IpAddress))}"));
                }
            }
        }
    }

    private static void CheckIdentifier(Reservation reservation, Dictionary<string, Reservation> byIdentifier, DiagnosticBag diagnostics)
    {
        string? identifier = null;
        if (reservation.HwAddress is not null && reservation.ClientId is not null || reservation.HwAddress is null && reservation.ClientId is null)
        {
            diagnostics.Add(DiagnosticCatalogue.IdentifierCount(reservation.Location, reservation.HwAddress is not null));
        }
        else if (reservation.HwAddress is { } mac)
        {
            identifier = HardwareAddress.NormaliseMac(mac) is { } normal ? "hw-address " + normal : null;
            if (identifier is null)
            {
                diagnostics.Add(DiagnosticCatalogue.MacMalformed(reservation.LocationOf(nameof(Reservation.HwAddress)), mac, HardwareAddress.DescribeMacProblem(mac)!));
            }
        }
        else if (reservation.ClientId is { } clientId)
        {
            identifier = HardwareAddress.NormaliseClientId(clientId) is { } normal ? "client-id " + normal : null;
            if (identifier is null)
            {
                diagnostics.Add(DiagnosticCatalogue.ClientIdMalformed(reservation.LocationOf(nameof(Reservation.ClientId)), clientId));
            }
        }

        if (identifier is null)
        {
            return;
        }

        if (byIdentifier.TryGetValue(identifier, out var first))
        {
            var property = reservation.HwAddress is not null ? nameof(Reservation.HwAddress) : nameof(Reservation.ClientId);
            diagnostics.Add(DiagnosticCatalogue.IdentifierTwice(reservation.LocationOf(property), identifier, first.Describe(), first.LocationOf(property)));
        }
        else
        {
            byIdentifier.Add(identifier, reservation);
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

    private static HashSet<Ipv4Address> Routers(IEnumerable<OptionValue> options)
    {
        var routers = new HashSet<Ipv4Address>();
        foreach (var value in options.Where(o => o.Name == "routers").SelectMany(o => o.Values))
        {
            if (Ipv4Address.TryParse(value.Value, out var address))
            {
                routers.Add(address);
            }
        }

        return routers;
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsName();
}
