using System.Text.Json;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>Dhcp4.multi-threading: keagitops always renders it on (the HA dedicated listener needs it).</summary>
internal static class MultiThreadingSection
{
    public static void Read(SectionContext c, JsonElement dhcp4, string p)
    {
        if (!dhcp4.TryGetProperty("multi-threading", out var mt))
        {
            c.Note(p + ".multi-threading", "absent: keagitops renders multi-threading on (the HA dedicated listener needs it)");
            return;
        }

        if (c.KeepKeaKeys(mt, p + ".multi-threading", (key, value) => c.Set("multi-threading." + key, value), ["enable-multi-threading"]) && mt.TryGetProperty("enable-multi-threading", out var enabled) && enabled.ValueKind == JsonValueKind.False)
        {
            c.NotImported(p + ".multi-threading.enable-multi-threading", "false: keagitops renders multi-threading on (the HA dedicated listener needs it)");
        }
    }
}
