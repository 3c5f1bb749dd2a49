using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Validation.Rules;

/// <summary>The servers and their HA relationship: the identity facts behind the user's incident.</summary>
public sealed class ServerRules : IInventoryRule
{
    public void Check(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        CheckUniqueness(inventory.Servers, diagnostics);
        CheckRoles(inventory, diagnostics);
        CheckPorts(inventory, diagnostics);
        CheckTiming(inventory.HighAvailability, diagnostics);
        CheckAgentExposure(inventory, diagnostics);
        CheckAgentAddresses(inventory, diagnostics);
    }

    /// <summary>
    /// Each server's agent binds its own host (servers[].control-agent.host, else the pair's): one that
    /// names another server's address cannot start. The pair's value is blamed where the server inherits it.
    /// </summary>
    private static void CheckAgentAddresses(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        foreach (var server in inventory.Servers)
        {
            var host = server.AgentHost(inventory.ControlAgent);
            var owner = inventory.Servers.FirstOrDefault(other => !ReferenceEquals(other, server) && other.Address?.ToString() == host);
            if (owner is null)
            {
                continue;
            }

            var at = server.ControlAgent?.Host is not null
                ? server.ControlAgent.LocationOf(nameof(ServerControlAgent.Host))
                : inventory.ControlAgent.LocationOf(nameof(ControlAgent.Host));
            diagnostics.Add(DiagnosticCatalogue.AgentBindsOtherServersAddress(at, host, owner.Name, server.Name));
        }
    }

    private static void CheckUniqueness(List<Server> servers, DiagnosticBag diagnostics)
    {
        var names = new Dictionary<string, Server>(StringComparer.OrdinalIgnoreCase);
        var addresses = new Dictionary<Ipv4Address, Server>();
        foreach (var server in servers)
        {
            if (server.Name.Length > 0 && !names.TryAdd(server.Name, server))
            {
                var first = names[server.Name];
                diagnostics.Add(DiagnosticCatalogue.ServerNameTwice(server.LocationOf(nameof(Server.Name)), server.Name, first.LocationOf(nameof(Server.Name))));
            }

            if (server.Address is { } address && !addresses.TryAdd(address, server))
            {
                var first = addresses[address];
                diagnostics.Add(DiagnosticCatalogue.ServerAddressTwice(server.LocationOf(nameof(Server.Address)), address, server.Name, first.Name, first.LocationOf(nameof(Server.Address))));
            }
        }
    }

    private static void CheckRoles(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        var ha = inventory.HighAvailability;
        var roles = inventory.Servers.Where(s => s.Role is not null).Select(s => s.Role!.Value).ToList();
        if (roles.Count != inventory.Servers.Count)
        {
            return; // the schema reported the missing or invalid role
        }

        var primaries = roles.Count(r => r == HaRole.Primary);
        var fits = ha.Mode switch
        {
            HaMode.LoadBalancing => roles.Count == 2 && primaries == 1 && roles.Count(r => r == HaRole.Secondary) == 1,
            HaMode.HotStandby => roles.Count == 2 && primaries == 1 && roles.Count(r => r == HaRole.Standby) == 1,
            _ => roles.Count >= 2 && primaries == 1 && roles.Count(r => r == HaRole.Backup) == roles.Count - 1,
        };
        if (!fits)
        {
            var found = string.Join(", ", inventory.Servers.Select(s => $"{s.Name} {Kebab(s.Role!.Value)}"));
            diagnostics.Add(DiagnosticCatalogue.RolesDoNotFit(ha.LocationOf(nameof(HighAvailability.Mode)), Kebab(ha.Mode), found));
        }
    }

    private static void CheckPorts(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        var haPort = inventory.HighAvailability.Port;
        if (haPort == inventory.ControlAgent.Port && !Rendering.HaPeers.ThroughControlAgent(inventory))
        {
            diagnostics.Add(DiagnosticCatalogue.HaPortClash(
                inventory.HighAvailability.LocationOf(nameof(HighAvailability.Port)), haPort, inventory.ControlAgent.LocationOf(nameof(ControlAgent.Port))));
        }
    }

    /// <summary>
    /// Stork's agent_credentials_over_https: the inventory renders no TLS for the Control Agent, so only
    /// loopback keeps its traffic (and password) off the network; deploy reaches it through SSH anyway.
    /// </summary>
    private static void CheckAgentExposure(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        var agent = inventory.ControlAgent;
        var places = new List<(string Host, SourceLocation At)> { (agent.Host, agent.LocationOf(nameof(ControlAgent.Host))) };
        places.AddRange(inventory.Servers.Where(s => s.ControlAgent?.Host is not null).Select(s => (s.ControlAgent!.Host!, s.ControlAgent.LocationOf(nameof(ServerControlAgent.Host)))));
        foreach (var (host, at) in places)
        {
            // The schema takes IPv4 only (and reports anything else); 127.0.0.0/8 is loopback.
            if (Ipv4Address.TryParse(host, out var address) && address.Value >> 24 != 127)
            {
                diagnostics.Add(DiagnosticCatalogue.AgentExposed(at, host, agent.Port, agent.Authentication is not null, Rendering.HaPeers.ThroughControlAgent(inventory)));
            }
        }
    }

    private static void CheckTiming(HighAvailability ha, DiagnosticBag diagnostics)
    {
        if (ha.MaxResponseDelay <= ha.HeartbeatDelay)
        {
            diagnostics.Add(DiagnosticCatalogue.HaTimingOutOfOrder(ha.LocationOf(nameof(HighAvailability.MaxResponseDelay)), ha.MaxResponseDelay, ha.HeartbeatDelay));
        }
    }

    internal static string Kebab<T>(T value)
        where T : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
