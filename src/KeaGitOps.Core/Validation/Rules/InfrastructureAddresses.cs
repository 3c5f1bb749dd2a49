using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Options;

namespace KeaGitOps.Core.Validation.Rules;

public enum InfrastructureKind
{
    Network,
    Broadcast,
    Server,

    /// <summary>A router the subnet's clients are told to use: the subnet's own routers option, else the global one.</summary>
    Router,

    /// <summary>Any other host an address option names (DNS, NTP, a CAPWAP controller, a router the subnet overrides…).</summary>
    OptionAddress,
}

/// <summary>An address that belongs to a host the inventory names, so no client may ever be given it.</summary>
public sealed record InfrastructureAddress(Ipv4Address Address, InfrastructureKind Kind, string What, SourceLocation Location);

/// <summary>
/// The one place that knows which addresses of a subnet are infrastructure: its network and broadcast
/// addresses, the DHCP servers' own, and the hosts named by address options at global and subnet scope.
/// </summary>
public static class InfrastructureAddresses
{
    /// <summary>
    /// Address options whose values are not hosts: masks, broadcast and multicast addresses, subnet
    /// selectors, and lists of destination/router pairs.
    /// </summary>
    private static readonly HashSet<string> NotHosts =
        ["subnet-mask", "broadcast-address", "router-solicitation-address", "policy-filter", "static-routes", "subnet-selection", "associated-ip"];

    /// <summary>The servers' own addresses; the first server wins when two share one (ServerRules reports that).</summary>
    public static Dictionary<Ipv4Address, Server> Servers(InventoryModel inventory)
    {
        var servers = new Dictionary<Ipv4Address, Server>();
        foreach (var server in inventory.Servers)
        {
            if (server.Address is { } address)
            {
                servers.TryAdd(address, server);
            }
        }

        return servers;
    }

    /// <summary>The routers a subnet's clients are given: its own option, else the global one.</summary>
    public static HashSet<Ipv4Address> Routers(InventoryModel inventory, Subnet subnet) =>
        OptionAddresses(HasRouters(subnet) ? subnet.OptionData : inventory.OptionData)
            .Where(o => o.Option.Name == "routers")
            .Select(o => o.Address)
            .ToHashSet();

    /// <summary>Every infrastructure address for <paramref name="subnet"/>, each once (the first reason found wins).</summary>
    public static Dictionary<Ipv4Address, InfrastructureAddress> For(InventoryModel inventory, Subnet subnet, Ipv4Prefix prefix)
    {
        var found = new Dictionary<Ipv4Address, InfrastructureAddress>();
        if (prefix.Length < 31)
        {
            // /31 and /32 have no network or broadcast address to keep free (RFC 3021).
            found.TryAdd(prefix.Range.First, new(prefix.Range.First, InfrastructureKind.Network, "the network address", subnet.LocationOf(nameof(Subnet.Prefix))));
            found.TryAdd(prefix.Range.Last, new(prefix.Range.Last, InfrastructureKind.Broadcast, "the broadcast address", subnet.LocationOf(nameof(Subnet.Prefix))));
        }

        foreach (var (address, server) in Servers(inventory))
        {
            found.TryAdd(address, new(address, InfrastructureKind.Server, $"DHCP server {server.Name}'s own address", server.LocationOf(nameof(Server.Address))));
        }

        var subnetRouters = HasRouters(subnet);
        foreach (var (address, option, at) in OptionAddresses(subnet.OptionData).Concat(OptionAddresses(inventory.OptionData)))
        {
            var effectiveRouter = option.Name == "routers" && (!subnetRouters || subnet.OptionData.Contains(option));
            found.TryAdd(address, new(address, effectiveRouter ? InfrastructureKind.Router : InfrastructureKind.OptionAddress, $"option {option.Name} at {at}", at));
        }

        return found;
    }

    private static bool HasRouters(Subnet subnet) => subnet.OptionData.Any(o => o.Name == "routers");

    /// <summary>The host addresses the standard dhcp4 options in <paramref name="options"/> carry, as Kea reads them ("a, b" is two).</summary>
    private static IEnumerable<(Ipv4Address Address, OptionValue Option, SourceLocation At)> OptionAddresses(List<OptionValue> options)
    {
        foreach (var option in options)
        {
            if (option.Space is not (null or "dhcp4") || option.CsvFormat == false || NotHosts.Contains(option.Name)
                || OptionDefinitions.Find(option.Name) is not { Type: OptionType.Ipv4Address })
            {
                continue;
            }

            foreach (var value in OptionCsv.Values(option))
            {
                if (Ipv4Address.TryParse(value.Value, out var address))
                {
                    yield return (address, option, value.Location);
                }
            }
        }
    }
}
