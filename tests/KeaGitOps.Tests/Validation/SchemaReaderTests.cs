using KeaGitOps.Core.Validation;
using NJsonSchema;

namespace KeaGitOps.Tests.Validation;

/// <summary>
/// The fast schema reader must build exactly the model NJsonSchema's own reader builds, and step aside
/// (null) for anything it does not model, so a schema edit is never read differently, only more slowly.
/// </summary>
public sealed class SchemaReaderTests
{
    [Fact]
    public void The_built_in_schema_is_read_by_the_fast_reader()
    {
        // Else every run pays NJsonSchema's reader again (150 ms of a small validate): a new keyword in
        // schemas/inventory.schema.json needs a case in SchemaReader.
        Assert.NotNull(SchemaReader.TryRead(SchemaValidator.BuiltInText()));
    }

    [Fact]
    public async Task Both_readings_of_the_built_in_schema_are_the_same_model()
    {
        var text = SchemaValidator.BuiltInText();

        AssertSameModel(await JsonSchema.FromJsonAsync(text), SchemaReader.TryRead(text)!);
    }

    public static TheoryData<string> Modelled() => new()
    {
        """{ "type": "object", "additionalProperties": false, "required": ["a"], "properties": { "a": { "type": "string", "minLength": 1, "maxLength": 9, "pattern": "^x", "format": "ipv4" } } }""",
        """{ "type": ["string", "null"], "enum": ["2.2", "3.0", 7, true] }""",
        """{ "type": "integer", "minimum": 0, "maximum": 4294967295, "description": "d", "title": "t" }""",
        """{ "type": "number", "minimum": 0.5, "maximum": 1e3 }""",
        """{ "type": "array", "minItems": 1, "maxItems": 3, "uniqueItems": true, "items": { "$ref": "#/definitions/x" }, "definitions": { "x": { "type": "boolean" } } }""",
        """{ "type": "object", "additionalProperties": { "type": "string" }, "anyOf": [ { "required": ["a"] }, { "required": ["b"] } ] }""",
        """{ "$schema": "http://json-schema.org/draft-07/schema#", "oneOf": [ { "$ref": "#/definitions/x", "description": "beside a $ref" } ], "allOf": [ { "type": "object" } ], "definitions": { "x": { "type": "string" } } }""",
        """{ "additionalProperties": true, "properties": { "p": { "$ref": "#/definitions/y" } }, "definitions": { "y": { "type": "object", "properties": { "q": { "$ref": "#/definitions/y" } } } } }""",
    };

    [Theory]
    [MemberData(nameof(Modelled))]
    public async Task A_schema_it_models_is_read_as_NJsonSchema_reads_it(string json)
    {
        var fast = SchemaReader.TryRead(json);

        Assert.NotNull(fast);
        AssertSameModel(await JsonSchema.FromJsonAsync(json), fast);
    }

    public static TheoryData<string> NotModelled() => new()
    {
        """{ "type": "string", "const": "x" }""",
        """{ "not": { "type": "string" } }""",
        """{ "properties": { "a": { "$ref": "other.json#/definitions/a" } } }""",
        """{ "properties": { "a": { "$ref": "#/definitions/missing" } } }""",
        """{ "type": "array", "items": [ { "type": "string" } ] }""",
        """{ "enum": [1.5] }""",
        """{ "type": "string", "type": "integer" }""",
        """{ "properties": { "a": { "type": "string" }, "a": { "type": "integer" } } }""",
        """{ "type": "date" }""",
        """{ "minLength": 1.5 }""",
        """{ "properties": { "a": { "definitions": { "b": { } } } } }""",
        """{ "x-extension": 1 }""",
    };

    [Theory]
    [MemberData(nameof(NotModelled))]
    public void Anything_else_is_left_to_NJsonSchema(string json)
    {
        Assert.Null(SchemaReader.TryRead(json));
    }

    [Fact]
    public void A_schema_left_to_NJsonSchema_is_still_read()
    {
        var schema = SchemaValidator.Read("""{ "type": "object", "not": { "required": ["a"] } }""");

        Assert.Equal(JsonObjectType.Object, schema.Type);
        Assert.Equal(["a"], schema.Not!.RequiredProperties);
    }

    /// <summary>Same serialised model, and beyond what ToJson shows: the enum values' runtime types, each property's name, parent and requiredness, and which definition each reference is.</summary>
    private static void AssertSameModel(JsonSchema expected, JsonSchema actual)
    {
        Assert.Equal(expected.ToJson(), actual.ToJson());
        AssertSameNode(expected, actual, expected, actual, "#");
    }

    private static void AssertSameNode(JsonSchema expected, JsonSchema actual, JsonSchema expectedRoot, JsonSchema actualRoot, string path)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Enumeration.Select(v => v?.GetType()), actual.Enumeration.Select(v => v?.GetType()));
        Assert.Equal(expected.Enumeration, actual.Enumeration);
        Assert.Equal(DefinitionName(expected.Reference, expectedRoot), DefinitionName(actual.Reference, actualRoot));
        Assert.True(expected.Reference is null || expected.Reference == expectedRoot.Definitions[DefinitionName(expected.Reference, expectedRoot)!], path);
        if (expected is JsonSchemaProperty expectedProperty)
        {
            var actualProperty = (JsonSchemaProperty)actual;
            Assert.Equal(expectedProperty.Name, actualProperty.Name);
            Assert.Equal(expectedProperty.IsRequired, actualProperty.IsRequired);
        }

        AssertSameMap(expected.Properties.ToDictionary(p => p.Key, p => (JsonSchema)p.Value), actual.Properties.ToDictionary(p => p.Key, p => (JsonSchema)p.Value), expectedRoot, actualRoot, path + "/properties");
        AssertSameMap(expected.Definitions, actual.Definitions, expectedRoot, actualRoot, path + "/definitions");
        foreach (var (name, property) in actual.Properties)
        {
            Assert.Same(actual, property.Parent);
        }

        AssertSameList([expected.Item, expected.AdditionalPropertiesSchema], [actual.Item, actual.AdditionalPropertiesSchema], expectedRoot, actualRoot, path + "/items|additionalProperties");
        AssertSameList([.. expected.AnyOf, .. expected.OneOf, .. expected.AllOf], [.. actual.AnyOf, .. actual.OneOf, .. actual.AllOf], expectedRoot, actualRoot, path + "/anyOf|oneOf|allOf");
    }

    private static void AssertSameMap(IDictionary<string, JsonSchema> expected, IDictionary<string, JsonSchema> actual, JsonSchema expectedRoot, JsonSchema actualRoot, string path)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, schema) in expected)
        {
            AssertSameNode(schema, actual[name], expectedRoot, actualRoot, path + "/" + name);
        }
    }

    private static void AssertSameList(IReadOnlyList<JsonSchema?> expected, IReadOnlyList<JsonSchema?> actual, JsonSchema expectedRoot, JsonSchema actualRoot, string path)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i] is null, actual[i] is null);
            if (expected[i] is { } schema)
            {
                AssertSameNode(schema, actual[i]!, expectedRoot, actualRoot, $"{path}/{i}");
            }
        }
    }

    private static string? DefinitionName(JsonSchema? reference, JsonSchema root) =>
        reference is null ? null : root.Definitions.Single(d => d.Value == reference).Key;
}
