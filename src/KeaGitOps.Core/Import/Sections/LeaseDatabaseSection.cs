using System.Text.Json;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>Dhcp4.lease-database: memfile only, always persisted; its LFC interval.</summary>
internal static class LeaseDatabaseSection
{
    public static void Read(SectionContext c, JsonElement dhcp4, string p)
    {
        if (Member(dhcp4, "lease-database", JsonValueKind.Object) is not { } database)
        {
            return;
        }

        var path = p + ".lease-database";
        c.OnlyKnown(database, path, "type", "persist", "lfc-interval");
        if (Text(database, "type") is { } type && type != "memfile")
        {
            c.NotImported(path + ".type", $"{type}: keagitops supports memfile only");
        }

        if (database.TryGetProperty("persist", out var persist) && persist.ValueKind == JsonValueKind.False)
        {
            c.NotImported(path + ".persist", "false: keagitops always persists leases");
        }

        if (SectionContext.Integer(database, "lfc-interval") is { } lfc)
        {
            c.Set("lease-database.lfc-interval", YamlValue.Number(lfc));
        }
    }
}
