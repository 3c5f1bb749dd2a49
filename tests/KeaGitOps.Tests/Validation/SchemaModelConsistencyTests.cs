using System.Reflection;
using System.Text.Json;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Validation;
using KeaGitOps.Tests.Support;
using Xunit;

namespace KeaGitOps.Tests.Validation;

/// <summary>Keeps schemas/inventory.schema.json, the model's [Key]s and the example inventory in step.</summary>
public sealed class SchemaModelConsistencyTests
{
    /// <summary>Model properties that are not YAML keys: the option name is the option-data key, list-ness is how the value was written.</summary>
    private static readonly HashSet<string> UnkeyedProperties = [$"{nameof(OptionValue)}.{nameof(OptionValue.Name)}", $"{nameof(OptionValue)}.{nameof(OptionValue.IsList)}"];

    private static readonly Lazy<JsonDocument> Schema = new(() => JsonDocument.Parse(SchemaValidator.BuiltInText()));

    /// <summary>Each object definition of the schema (a path of property names from the root) and the model type bound from it.</summary>
    private static readonly (string SchemaPath, Type ModelType)[] ObjectDefinitions =
    [
        ("", typeof(InventoryModel)),
        ("properties/kea", typeof(KeaSettings)),
        ("definitions/server", typeof(Server)),
        ("definitions/server/properties/control-agent", typeof(ServerControlAgent)),
        ("definitions/server/properties/dhcp4", typeof(ServerDhcp4)),
        ("definitions/server/properties/high-availability", typeof(ServerHighAvailability)),
        ("definitions/ssh", typeof(SshSettings)),
        ("definitions/deploy", typeof(DeploySettings)),
        ("properties/git", typeof(GitSettings)),
        ("properties/high-availability", typeof(HighAvailability)),
        ("properties/control-agent", typeof(ControlAgent)),
        ("properties/control-agent/properties/authentication", typeof(ControlAgentAuthentication)),
        ("properties/control-socket", typeof(ControlSocket)),
        ("properties/lease-database", typeof(LeaseDatabase)),
        ("properties/logging", typeof(Logging)),
        ("definitions/sharedNetwork", typeof(SharedNetwork)),
        ("definitions/subnet", typeof(Subnet)),
        ("definitions/pool", typeof(Pool)),
        ("definitions/reservation", typeof(Reservation)),
        ("definitions/optionValue", typeof(OptionValue)),
        ("definitions/optionDef", typeof(OptionDef)),
        ("properties/lease-cmds", typeof(LeaseCommands)),
        ("properties/lease-cmds/properties/binding-variables/items", typeof(BindingVariable)),
    ];

    private static readonly Type[] AllModelTypes =
        typeof(ModelObject).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ModelObject))).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();

    public static TheoryData<string, Type> SchemaObjects()
    {
        var rows = new TheoryData<string, Type>();
        foreach (var (schemaPath, modelType) in ObjectDefinitions)
        {
            rows.Add(schemaPath, modelType);
        }

        return rows;
    }

    public static TheoryData<Type> ModelTypes()
    {
        var types = new TheoryData<Type>();
        foreach (var type in AllModelTypes)
        {
            types.Add(type);
        }

        return types;
    }

    [Theory]
    [MemberData(nameof(SchemaObjects))]
    public void Schema_object_properties_are_exactly_the_model_keys(string schemaPath, Type modelType)
    {
        var properties = Resolve(schemaPath).GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);

        Assert.Equal(properties, ModelBinder.KeysOf(modelType).Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SchemaObjects))]
    public void Schema_objects_take_other_keys_exactly_where_the_model_takes_Keas_own(string schemaPath, Type modelType)
    {
        // Where the model takes Kea's own keys, KeaSettingsRules judges the others against Kea's key table;
        // everywhere else the schema refuses them.
        var takesKeaKeys = ModelBinder.TakesKeaKeys(modelType);
        Assert.True(
            Resolve(schemaPath).GetProperty("additionalProperties").ValueKind == (takesKeaKeys ? JsonValueKind.True : JsonValueKind.False),
            $"{(schemaPath.Length == 0 ? "the root" : schemaPath)} ({modelType.Name}) must say additionalProperties: {(takesKeaKeys ? "true" : "false")}");
    }

    [Fact]
    public void Every_model_object_type_is_checked_against_the_schema()
    {
        var checkedTypes = ObjectDefinitions.Select(definition => definition.ModelType).ToHashSet();

        Assert.DoesNotContain(AllModelTypes, type => !checkedTypes.Contains(type));
    }

    [Theory]
    [MemberData(nameof(ModelTypes))]
    public void Every_settable_model_property_has_a_key_or_is_a_documented_exception(Type modelType)
    {
        var unkeyed = modelType.GetProperties()
            .Where(p => p.GetSetMethod() is not null && p.GetCustomAttribute<KeyAttribute>() is null)
            .Select(p => $"{modelType.Name}.{p.Name}")
            .Where(name => !UnkeyedProperties.Contains(name));

        Assert.Empty(unkeyed);
    }

    [Fact]
    public void Every_key_in_the_example_inventory_is_in_the_schema()
    {
        var schemaKeys = AllSchemaPropertyNames(Schema.Value.RootElement).ToHashSet(StringComparer.Ordinal);
        var exampleKeys = new List<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryLayout.ExampleInventory, "*.yaml", SearchOption.AllDirectories))
        {
            var diagnostics = new DiagnosticBag();
            CollectKeys(YamlReader.Read(File.ReadAllText(file), file, diagnostics), exampleKeys);
            Assert.Empty(diagnostics.Items);
        }

        Assert.NotEmpty(exampleKeys);
        Assert.DoesNotContain(exampleKeys, key => !schemaKeys.Contains(key));
    }

    [Fact]
    public void Example_inventory_has_no_unknown_renamed_or_secret_keys()
    {
        var result = TempInventory.Validate(RepositoryLayout.ExampleInventory, RepositoryLayout.Root);

        Assert.DoesNotContain(result.Diagnostics, d => d.Code is "KGO101" or "KGO102" or "KGO105" or "KGO502");
    }

    private static JsonElement Resolve(string schemaPath)
    {
        var element = Schema.Value.RootElement;
        foreach (var segment in schemaPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            element = element.GetProperty(segment);
        }

        return element;
    }

    private static IEnumerable<string> AllSchemaPropertyNames(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var own = element.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name) : [];
        return own.Concat(element.EnumerateObject().SelectMany(child => AllSchemaPropertyNames(child.Value)));
    }

    /// <summary>Mapping keys, except option-data's: those are option names, checked by the option rules.</summary>
    private static void CollectKeys(Node? node, List<string> keys)
    {
        switch (node)
        {
            case MappingNode mapping:
                foreach (var (key, value) in mapping.Entries)
                {
                    keys.Add(key.Value);
                    if (key.Value == "option-data" && value is MappingNode options)
                    {
                        foreach (var option in options.Entries)
                        {
                            CollectKeys(option.Value, keys);
                        }
                    }
                    else
                    {
                        CollectKeys(value, keys);
                    }
                }

                break;
            case SequenceNode sequence:
                foreach (var item in sequence.Items)
                {
                    CollectKeys(item, keys);
                }

                break;
        }
    }
}
