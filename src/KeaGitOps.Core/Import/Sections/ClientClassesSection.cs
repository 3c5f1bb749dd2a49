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

            if (PoolClasses.ReadHandWritten(definition) is { } split && Text(definition, "name") is { } splitName && OnlyPoolsName(dhcp4, splitName))
            {
                // ISC's own recipe for restricted pools in load-balancing: keagitops renders the same class itself.
                c.CombinedPoolClasses[splitName] = (split.Classes, split.Scope);
                c.Note(at, $"{splitName} ({Text(definition, "test")}) guards pools only: read back as their class {split.Classes[0]}, which keagitops combines with each server's scope itself");
                continue;
            }

            if (PoolClasses.ScopeOnly(definition) is { } scope && Text(definition, "name") is { } scopeName && c.Scopes is { } pair && (scope == pair.First || scope == pair.Second))
            {
                // Kept for what it gives the scope's clients; the pools it guards are read as split, not restricted (SubnetSection.Guard).
                c.ScopeOnlyClasses[scopeName] = scope;
            }

            kept.Add(c.WithoutSecrets(definition, at));
        }

        if (kept.Count > 0)
        {
            c.Set("client-classes", new YamlList(kept));
        }
    }

    /// <summary>Whether <paramref name="name"/> appears in the config only as its definition's name and as pools' classes.</summary>
    private static bool OnlyPoolsName(JsonElement dhcp4, string name)
    {
        var quoted = System.Text.Json.JsonSerializer.Serialize(name);
        var everywhere = CountOf(dhcp4.GetRawText(), quoted) + CountOf(dhcp4.GetRawText(), $"'{name}'");
        var inPools = 0;
        foreach (var pools in Subnets(dhcp4).Select(s => Member(s, "pools", JsonValueKind.Array)).OfType<JsonElement>())
        {
            inPools += pools.EnumerateArray().Sum(p => CountOf(p.GetRawText(), quoted));
        }

        return inPools > 0 && everywhere == inPools + 1;
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
