using System.Text.Json;
using KeaGitOps.Core.Rendering;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Kea;

/// <summary>
/// keagitops' own metadata in a rendered config: the object at exactly <c>TOP.user-context.keagitops</c>
/// (TOP is <c>Dhcp4</c> or <c>Control-agent</c>). This is the one rule for what is provenance: the same
/// key anywhere else (a subnet's <c>user-context.keagitops</c>, say) is an ordinary setting, compared,
/// digested and deployed like any other. <see cref="CanonicalJson"/> walks the same three steps.
/// </summary>
public sealed record KeaProvenance(string? Generator, string? SourceCommit, bool SourceDirty, string? InventoryDigest, string? ConfigDigest)
{
    public const string ContextKey = "user-context";
    public const string Key = "keagitops";

    /// <summary>True when <paramref name="path"/> (member names and list positions from the root) is the provenance object itself.</summary>
    public static bool IsAt(IReadOnlyList<object> path) =>
        path.Count == 3 && path[0] is string && path[1] is ContextKey && path[2] is Key;

    /// <summary>The provenance of <paramref name="root"/>, or null when it has none (not rendered by keagitops).</summary>
    public static KeaProvenance? Of(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var top in root.EnumerateObject())
        {
            if (top.Value.ValueKind == JsonValueKind.Object
                && top.Value.TryGetProperty(ContextKey, out var context) && context.ValueKind == JsonValueKind.Object
                && context.TryGetProperty(Key, out var provenance) && provenance.ValueKind == JsonValueKind.Object)
            {
                return new KeaProvenance(
                    Text(provenance, "generator"),
                    Text(provenance, "source-commit"),
                    provenance.TryGetProperty("source-dirty", out var dirty) && dirty.ValueKind == JsonValueKind.True,
                    Text(provenance, "inventory-digest"),
                    Text(provenance, "config-digest"));
            }
        }

        return null;
    }
}
