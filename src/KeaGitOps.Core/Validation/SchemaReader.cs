using System.Text.Json;
using NJsonSchema;

namespace KeaGitOps.Core.Validation;

/// <summary>
/// Builds NJsonSchema's model of a JSON Schema straight from its text, for the keywords (and the shapes of
/// them) the inventory schema uses. NJsonSchema's own reader goes through Newtonsoft.Json, which first
/// learns its model's hundred properties by reflection: 150 ms of a 0.3 s validate on a small inventory,
/// every run, on the critical path; this reader takes a few. It never reads a schema differently: anything
/// it does not know (another keyword, a <c>$ref</c> outside the definitions, an enum of numbers with a
/// fraction...) makes it answer null, and the caller reads the schema with NJsonSchema, only slower.
/// A test holds both readings of the built-in schema equal, and that the built-in schema is read here.
/// </summary>
internal static class SchemaReader
{
    private const string DefinitionsPrefix = "#/definitions/";

    /// <summary>The schema, or null when it uses anything this reader does not model.</summary>
    public static JsonSchema? TryRead(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = new JsonSchema();
        var references = new List<(JsonSchema Schema, string Path)>();
        if (!Fill(root, document.RootElement, references, isRoot: true))
        {
            return null;
        }

        foreach (var (schema, path) in references)
        {
            if (!path.StartsWith(DefinitionsPrefix, StringComparison.Ordinal) || !root.Definitions.TryGetValue(path[DefinitionsPrefix.Length..], out var target))
            {
                return null;
            }

            schema.Reference = target;
        }

        return root;
    }

    private static bool Fill(JsonSchema schema, JsonElement element, List<(JsonSchema Schema, string Path)> references, bool isRoot)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            var value = member.Value;
            var known = seen.Add(member.Name) && member.Name switch
            {
                "$schema" when isRoot => Text(value, v => schema.SchemaVersion = v),
                "definitions" when isRoot => Schemas(value, references, schema.Definitions, () => new JsonSchema()),
                "title" => Text(value, v => schema.Title = v),
                "description" => Text(value, v => schema.Description = v),
                // An annotation, kept where NJsonSchema's own reader keeps it (its IsDeprecated is "x-deprecated").
                "deprecated" => Flag(value, v => (schema.ExtensionData ??= new Dictionary<string, object?>())["deprecated"] = v),
                "$ref" => Text(value, v => references.Add((schema, v))),
                "type" => Type(value, schema),
                "format" => Text(value, v => schema.Format = v),
                "pattern" => Text(value, v => schema.Pattern = v),
                "minLength" => Count(value, v => schema.MinLength = v),
                "maxLength" => Count(value, v => schema.MaxLength = v),
                "minItems" => Count(value, v => schema.MinItems = v),
                "maxItems" => Count(value, v => schema.MaxItems = v),
                "minimum" => Number(value, v => schema.Minimum = v),
                "maximum" => Number(value, v => schema.Maximum = v),
                "uniqueItems" => Flag(value, v => schema.UniqueItems = v),
                "required" => Names(value, schema.RequiredProperties),
                "enum" => Enumeration(value, schema.Enumeration),
                "properties" => Schemas(value, references, schema.Properties, () => new JsonSchemaProperty()),
                "items" => Sub(value, references, item => schema.Item = item),
                "additionalProperties" => value.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? Flag(value, v => schema.AllowAdditionalProperties = v)
                    : Sub(value, references, additional => schema.AdditionalPropertiesSchema = additional),
                "anyOf" => List(value, references, schema.AnyOf),
                "oneOf" => List(value, references, schema.OneOf),
                "allOf" => List(value, references, schema.AllOf),
                _ => false,
            };
            if (!known)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Text(JsonElement value, Action<string> set)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        set(value.GetString()!);
        return true;
    }

    private static bool Flag(JsonElement value, Action<bool> set)
    {
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return false;
        }

        set(value.GetBoolean());
        return true;
    }

    private static bool Count(JsonElement value, Action<int> set)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var count))
        {
            return false;
        }

        set(count);
        return true;
    }

    private static bool Number(JsonElement value, Action<decimal> set)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
        {
            return false;
        }

        set(number);
        return true;
    }

    /// <summary>One type name or a list of them, as NJsonSchema's flags.</summary>
    private static bool Type(JsonElement value, JsonSchema schema)
    {
        var names = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value];
        var type = JsonObjectType.None;
        foreach (var name in names)
        {
            var flag = name.ValueKind != JsonValueKind.String ? JsonObjectType.None : name.GetString() switch
            {
                "object" => JsonObjectType.Object,
                "array" => JsonObjectType.Array,
                "string" => JsonObjectType.String,
                "integer" => JsonObjectType.Integer,
                "number" => JsonObjectType.Number,
                "boolean" => JsonObjectType.Boolean,
                "null" => JsonObjectType.Null,
                _ => JsonObjectType.None,
            };
            if (flag == JsonObjectType.None)
            {
                return false;
            }

            type |= flag;
        }

        schema.Type = type;
        return names.Count > 0;
    }

    private static bool Names(JsonElement value, ICollection<string> names)
    {
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(name => name.ValueKind != JsonValueKind.String))
        {
            return false;
        }

        foreach (var name in value.EnumerateArray())
        {
            names.Add(name.GetString()!);
        }

        return true;
    }

    /// <summary>Strings, whole numbers and booleans, as Newtonsoft.Json gives them for <c>object</c> (string, long, bool).</summary>
    private static bool Enumeration(JsonElement value, ICollection<object?> values)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var read = new List<object?>();
        foreach (var item in value.EnumerateArray())
        {
            switch (item.ValueKind)
            {
                case JsonValueKind.String:
                    read.Add(item.GetString());
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    read.Add(item.GetBoolean());
                    break;
                case JsonValueKind.Number when item.TryGetInt64(out var number):
                    read.Add(number);
                    break;
                default:
                    return false;
            }
        }

        foreach (var item in read)
        {
            values.Add(item);
        }

        return true;
    }

    private static bool Sub(JsonElement value, List<(JsonSchema, string)> references, Action<JsonSchema> set)
    {
        var schema = new JsonSchema();
        if (!Fill(schema, value, references, isRoot: false))
        {
            return false;
        }

        set(schema);
        return true;
    }

    private static bool List(JsonElement value, List<(JsonSchema, string)> references, ICollection<JsonSchema> schemas)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in value.EnumerateArray())
        {
            if (!Sub(item, references, schemas.Add))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A map of names to schemas (definitions, properties); a name twice is left to NJsonSchema.</summary>
    private static bool Schemas<T>(JsonElement value, List<(JsonSchema, string)> references, IDictionary<string, T> schemas, Func<T> create)
        where T : JsonSchema
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var member in value.EnumerateObject())
        {
            var schema = create();
            if (schemas.ContainsKey(member.Name) || !Fill(schema, member.Value, references, isRoot: false))
            {
                return false;
            }

            schemas.Add(member.Name, schema);
        }

        return true;
    }
}
