using System.Text.Json;
using KeaGitOps.Core.Kea;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>
/// A top-level object's user-context (Dhcp4, Control-agent): keagitops' own provenance, which lives only
/// there (<see cref="KeaProvenance"/>), is rendered anew; the rest is kept as Kea's own key.
/// </summary>
internal static class UserContextSection
{
    /// <param name="settingPrefix">where the inventory keeps the object's Kea keys ("" for Dhcp4, "control-agent." for the agent).</param>
    public static void Read(SectionContext c, JsonElement element, string p, string settingPrefix)
    {
        if (Member(element, "user-context", JsonValueKind.Object) is not { } context)
        {
            return;
        }

        var kept = new List<KeyValuePair<string, YamlValue>>();
        foreach (var member in context.EnumerateObject())
        {
            if (member.Name == KeaProvenance.Key)
            {
                c.Note($"{p}.{KeaProvenance.ContextKey}.{KeaProvenance.Key}", "provenance of an earlier keagitops render; rendered anew");
            }
            else
            {
                kept.Add(KeyValuePair.Create(member.Name, c.WithoutSecrets(member.Value, $"{p}.user-context.{member.Name}")));
            }
        }

        if (kept.Count > 0)
        {
            c.Set(settingPrefix + KeaProvenance.ContextKey, new YamlMap(kept));
        }
    }
}
