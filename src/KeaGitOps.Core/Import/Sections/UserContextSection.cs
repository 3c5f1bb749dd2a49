using System.Text.Json;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>
/// An object's user-context: keagitops' own provenance is rendered anew; anything else has no inventory
/// key.
/// </summary>
internal static class UserContextSection
{
    public static void Read(SectionContext c, JsonElement element, string p)
    {
        if (Member(element, "user-context", JsonValueKind.Object) is { } context)
        {
            foreach (var member in context.EnumerateObject())
            {
                if (member.Name == "keagitops")
                {
                    c.Note($"{p}.user-context.keagitops", "provenance of an earlier keagitops render; rendered anew");
                }
                else
                {
                    c.NotImported($"{p}.user-context.{member.Name}", "no inventory key for it");
                }
            }
        }
    }
}
