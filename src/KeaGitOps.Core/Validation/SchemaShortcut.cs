using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Inventory;
using NJsonSchema;

namespace KeaGitOps.Core.Validation;

/// <summary>
/// A fast "certainly valid" test for the objects an inventory has by the hundred thousand
/// (reservations), compiled from their definition in the schema itself, so no schema fact is written
/// twice. It only ever answers "NJsonSchema would accept this"; whenever it is not sure (an unknown or
/// complex key, a value it cannot judge) the object goes to NJsonSchema, which stays the one judge of
/// what is wrong and how to say it.
/// </summary>
internal sealed class SchemaShortcut
{
    private readonly Dictionary<string, (JsonObjectType Type, bool IsIpv4)> _simple;
    private readonly string[] _required;

    private SchemaShortcut(Dictionary<string, (JsonObjectType, bool)> simple, string[] required)
    {
        _simple = simple;
        _required = required;
    }

    /// <summary>Compiles the shortcut for an object definition; null when the definition uses anything it does not model.</summary>
    public static SchemaShortcut? Compile(JsonSchema definition)
    {
        var schema = definition.ActualSchema;
        // Keys beyond the definition's (Kea's own, checked by KeaSettingsRules) are never certain: they go to NJsonSchema.
        if (schema.Type != JsonObjectType.Object || schema.AllOf.Count + schema.AnyOf.Count + schema.OneOf.Count > 0)
        {
            return null;
        }

        var simple = new Dictionary<string, (JsonObjectType, bool)>(StringComparer.Ordinal);
        foreach (var (name, property) in schema.ActualProperties)
        {
            var actual = property.ActualSchema;
            var plain = actual.Type is JsonObjectType.String or JsonObjectType.Integer or JsonObjectType.Boolean
                && actual.Format is null or "ipv4"
                && actual.Pattern is null
                && actual.Enumeration.Count == 0
                && actual.MinLength is null && actual.MaxLength is null
                && actual.Minimum is null && actual.Maximum is null
                && actual.AllOf.Count + actual.AnyOf.Count + actual.OneOf.Count == 0
                && actual.Not is null;
            if (plain)
            {
                simple.Add(name, (actual.Type, actual.Format == "ipv4"));
            }
        }

        return new SchemaShortcut(simple, [.. schema.RequiredProperties]);
    }

    public bool CertainlyValid(Node node)
    {
        if (node is not MappingNode mapping)
        {
            return false;
        }

        foreach (var required in _required)
        {
            if (mapping.Find(required) is null)
            {
                return false;
            }
        }

        foreach (var (key, value) in mapping.Entries)
        {
            if (!_simple.TryGetValue(key.Value, out var expected) || value is not ScalarNode scalar || !Fits(scalar, expected.Type, expected.IsIpv4))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Fits(ScalarNode scalar, JsonObjectType type, bool isIpv4) => type switch
    {
        JsonObjectType.String => scalar.Kind == ScalarKind.String && (!isIpv4 || IsPlainDottedQuad(scalar.Value)),
        JsonObjectType.Integer => scalar.Kind == ScalarKind.Integer,
        JsonObjectType.Boolean => scalar.Kind == ScalarKind.Boolean,
        _ => false,
    };

    /// <summary>Stricter than any ipv4 format check: four 0-255 octets without leading zeros.</summary>
    private static bool IsPlainDottedQuad(string value) =>
        Ipv4Address.TryParse(value, out var address) && address.ToString() == value;
}
