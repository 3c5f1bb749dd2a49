using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Rendering;

/// <summary>
/// How the HA peers reach each other. With multi-threading on (keagitops's default) each server's HA hook
/// runs its own listener on its peer URL (http-dedicated-listener). Kea turns the HA hook's multi-threading
/// off when the server's is off (ha_config.cc, HA_CONFIG_DHCP_MT_DISABLED, 2.2 to 3.0.4), and then nothing
/// of the hook's listens: a peer's commands (heartbeats, lease updates) must reach it through its Control
/// Agent, which forwards them to the DHCPv4 server's control socket. So the peer URL's port is then the
/// agent's, and each agent listens on its server's address.
/// </summary>
public static class HaPeers
{
    /// <summary>Whether the inventory turns multi-threading off (Kea's <c>multi-threading.enable-multi-threading: false</c> at the top level).</summary>
    public static bool ThroughControlAgent(InventoryModel inventory)
    {
        foreach (var (key, value) in inventory.KeaKeys)
        {
            if (key.Value == "multi-threading" && value is MappingNode map
                && map.Find("enable-multi-threading")?.Value is ScalarNode enabled && enabled.TryGetBoolean(out var on))
            {
                return !on;
            }
        }

        return false;
    }
}
