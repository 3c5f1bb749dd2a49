using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Rendering;

namespace KeaGitOps.Core.Validation.Rules;

/// <summary>
/// With multi-threading off, the HA peers reach each other through their Control Agents (<see cref="HaPeers"/>):
/// each agent must listen where its partner's peer URL points, its server's address at the HA port.
/// </summary>
public sealed class HaPeerRules : IInventoryRule
{
    private const string AnyAddress = "0.0.0.0";

    public void Check(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        if (!HaPeers.ThroughControlAgent(inventory))
        {
            return;
        }

        var agent = inventory.ControlAgent;
        if (agent.Port != inventory.HighAvailability.Port)
        {
            diagnostics.Add(DiagnosticCatalogue.HaAgentPortNotPeerPort(agent.LocationOf(nameof(ControlAgent.Port)), agent.Port, inventory.HighAvailability.Port));
        }

        foreach (var server in inventory.Servers)
        {
            var host = server.AgentHost(agent);
            if (server.Address is { } address && host != address.ToString() && host != AnyAddress)
            {
                var at = server.ControlAgent?.Host is not null ? server.ControlAgent.LocationOf(nameof(ServerControlAgent.Host)) : server.Location;
                diagnostics.Add(DiagnosticCatalogue.HaAgentNotOnServerAddress(at, server.Name, host, address.ToString()));
            }
        }
    }
}
