using System.Text.Json;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>Dhcp4.lease-database: its type, LFC interval and persistence, and Kea's other database keys as written (a password never).</summary>
internal static class LeaseDatabaseSection
{
    public static void Read(SectionContext c, JsonElement dhcp4, string p)
    {
        if (Member(dhcp4, "lease-database", JsonValueKind.Object) is not { } database)
        {
            return;
        }

        var path = p + ".lease-database";
        c.KeepKeaKeys(database, path, (key, value) => c.Set("lease-database." + key, value), ["type", "persist", "lfc-interval"]);
        if (database.TryGetProperty("persist", out var persist) && persist.ValueKind == JsonValueKind.False)
        {
            c.Set("lease-database.persist", YamlValue.Bool(false)); // keagitops renders true unless told
        }

        if (Text(database, "type") is { } type && type != "memfile")
        {
            c.Set("lease-database.type", YamlValue.String(type));
        }

        if (SectionContext.Integer(database, "lfc-interval") is { } lfc)
        {
            c.Set("lease-database.lfc-interval", YamlValue.Number(lfc));
        }
    }
}
