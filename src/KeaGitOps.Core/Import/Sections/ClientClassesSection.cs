using System.Text.Json;
using KeaGitOps.Core.Rendering;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>
/// Dhcp4.client-classes: kept as Kea's key, except the classes keagitops itself combined for
/// class-restricted pools (Rendering.PoolClasses), which are remembered so that the pools naming them
/// are read back as the classes they combine.
/// </summary>
internal static class ClientClassesSection
{
    public static void Read(SectionContext c, JsonElement dhcp4, string path)
    {
        if (!dhcp4.TryGetProperty("client-classes", out var classes))
        {
            return;
        }

        if (classes.ValueKind != JsonValueKind.Array)
        {
            c.Set("client-classes", c.WithoutSecrets(classes, path + ".client-classes"));
            return;
        }

        var kept = new List<YamlValue>();
        var i = 0;
        foreach (var definition in classes.EnumerateArray())
        {
            var at = $"{path}.client-classes[{i++}]";
            if (PoolClasses.Read(definition) is { } combined && Text(definition, "name") is { } name)
            {
                c.CombinedPoolClasses[name] = (combined.Classes, combined.Scope);
                continue;
            }

            kept.Add(c.WithoutSecrets(definition, at));
        }

        if (kept.Count > 0)
        {
            c.Set("client-classes", new YamlList(kept));
        }
    }
}
