using System.Text.Json;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>
/// Dhcp4.multi-threading: Kea's keys as written. keagitops renders multi-threading on when the config does not
/// say (the HA hook's own listener needs it); turned off, the HA peers reach each other through their Control
/// Agents (Rendering.HaPeers), which the inventory writer places at the peer URLs when no agent config was read.
/// </summary>
internal static class MultiThreadingSection
{
    public const string EnabledKey = "multi-threading.enable-multi-threading";

    public static void Read(SectionContext c, JsonElement dhcp4, string p)
    {
        if (!dhcp4.TryGetProperty("multi-threading", out var mt))
        {
            c.Note(p + ".multi-threading", "absent: keagitops renders multi-threading on (the HA dedicated listener needs it)");
            return;
        }

        if (c.KeepKeaKeys(mt, p + ".multi-threading", (key, value) => c.Set("multi-threading." + key, value), ["enable-multi-threading"])
            && mt.TryGetProperty("enable-multi-threading", out var enabled) && enabled.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            c.Set(EnabledKey, YamlValue.Bool(enabled.GetBoolean()));
        }
    }
}
