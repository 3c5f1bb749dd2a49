using System.Text.Json;
using KeaGitOps.Core.Kea;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>
/// A top-level object's user-context (Dhcp4, Control-agent): keagitops' own provenance, which lives only
/// there (<see cref="KeaProvenance"/>), is rendered anew; anything else has no inventory key.
/// </summary>
internal static class UserContextSection
{
    public static void Read(SectionContext c, JsonElement element, string p)
    {
        if (Member(element, "user-context", JsonValueKind.Object) is { } context)
        {
            foreach (var member in context.EnumerateObject())
            {
                if (member.Name == KeaProvenance.Key)
                {
                    c.Note($"{p}.{KeaProvenance.ContextKey}.{KeaProvenance.Key}", "provenance of an earlier keagitops render; rendered anew");
                }
                else
                {
                    c.NotImported($"{p}.user-context.{member.Name}", "no inventory key for it");
                }
            }
        }
    }
}
