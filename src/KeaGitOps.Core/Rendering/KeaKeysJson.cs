using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Rendering;

/// <summary>
/// Kea's own keys from the inventory (<see cref="ModelObject.KeaKeys"/>) as JSON, the YAML 1.2 core
/// types kept (8000 a number, "8000" a string) and numbers written as JSON writes them (YAML's +1, 007
/// or .5 are not JSON).
/// </summary>
public static class KeaKeysJson
{
    public static JsonObject Object(IReadOnlyList<MappingEntry> entries)
    {
        var result = new JsonObject();
        foreach (var (key, value) in entries)
        {
            result[key.Value] = Value(value);
        }

        return result;
    }

    /// <summary>The entries as members of an object being written by hand (<c>"a": 1, "b": true,</c>), each followed by a comma; empty when there are none.</summary>
    public static string? Members(IReadOnlyList<MappingEntry> entries)
    {
        if (entries.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var (key, value) in entries)
        {
            text.Append(' ').Append(CanonicalJson.Quote(key.Value)).Append(": ").Append(Value(value)?.ToJsonString() ?? "null").Append(',');
        }

        return text.ToString();
    }

    public static JsonNode? Value(Node node) => node switch
    {
        MappingNode mapping => Object(mapping.Entries),
        SequenceNode sequence => new JsonArray(sequence.Items.Select(Value).ToArray()),
        ScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(ScalarNode scalar) => scalar.Kind switch
    {
        ScalarKind.Null => null,
        ScalarKind.Boolean => JsonValue.Create(scalar.TryGetBoolean(out var flag) && flag),
        ScalarKind.Integer when BigInteger.TryParse(scalar.Value.TrimStart('+'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) =>
            JsonNode.Parse(number.ToString(CultureInfo.InvariantCulture)),
        ScalarKind.Float when double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real) =>
            JsonValue.Create(real),
        _ => JsonValue.Create(scalar.Value),
    };
}
