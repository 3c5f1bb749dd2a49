using System.Text.Json;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.Support;
using Xunit;
using static KeaGitOps.Tests.Validation.ExampleInventory;

namespace KeaGitOps.Tests.Validation;

/// <summary>
/// The inventory's option-def: option data naming a defined option is checked and escaped by that
/// definition's type (as Kea parses it), an option no definition names is KGO402 with "did you mean",
/// and a definition Kea would refuse is KGO407 at the key that makes it so.
/// </summary>
public sealed class OptionDefTests
{
    private const string Definitions = """
        option-def:
          - { name: pxe-url, code: 224, type: string }
          - { name: lengthy, code: 2, type: record, record-types: "ipv4-address, psid, tuple, fqdn, string", space: acme }
          - { name: fancy, code: 3, type: record, array: true, record-types: "uint8, ipv4-address", space: acme }
          - { name: flag, code: 1, type: empty, space: acme }

        """;

    private static TempInventory WithDefinitions(string options, string definitions = Definitions)
    {
        var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "option-data:\n  domain-name-servers", definitions + "option-data:\n" + options + "  domain-name-servers");
        return inventory;
    }

    [Fact]
    public void An_option_defined_by_option_def_is_valid_and_renders_with_its_definition()
    {
        using var inventory = WithDefinitions("  pxe-url: \"http://10.0.0.5/boot,menu=1\"\n  lengthy: { data: \"192.0.2.74, 3/4, 1, example.org, text\", space: acme }\n  flag: { data: \"\", space: acme }\n");

        inventory.Validate().AssertCodes("KGO204");
        var render = RenderPipeline.Default(inventory.Folder).Run(inventory.Folder, null, () => null);
        Assert.True(render.Succeeded, string.Join("\n", render.Diagnostics));
        using var config = JsonDocument.Parse(render.Servers![0].File(TemplateSet.Dhcp4).Text);
        var dhcp4 = config.RootElement.GetProperty("Dhcp4");
        Assert.Equal(4, dhcp4.GetProperty("option-def").GetArrayLength());
        Assert.Equal("record", dhcp4.GetProperty("option-def")[1].GetProperty("type").GetString());
        var data = dhcp4.GetProperty("option-data").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!, o => o.GetProperty("data").GetString());

        // A string option carries one value: its comma is escaped, so clients get the whole URL (without the
        // definition it would be split into two values, and Kea would send only the first).
        Assert.Equal(@"http://10.0.0.5/boot\,menu=1", data["pxe-url"]);
        Assert.Equal("192.0.2.74, 3/4, 1, example.org, text", data["lengthy"]);
    }

    [Fact]
    public void A_record_field_that_does_not_fit_its_type_is_named_at_its_value()
    {
        using var inventory = WithDefinitions("  lengthy: { data: [192.0.2.74, 3/99, \"1\", example.org, text], space: acme }\n");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO403", Severity.Error, inventory.At(Site, "lengthy: {", "3/99"));
        Assert.Equal("'3/99' is not a valid value for option lengthy: expected a PSID as VALUE/LENGTH (a length of 0 to 16 bits and a value that fits in it, such as 3/4).", error.Message);
        result.AssertCodes("KGO403", "KGO204");
    }

    [Fact]
    public void A_record_with_fewer_values_than_fields_is_refused_and_one_with_more_drops_nothing_silently()
    {
        using var fewer = WithDefinitions("  lengthy: { data: \"192.0.2.74, 3/4\", space: acme }\n");
        var error = fewer.Validate().AssertReported("KGO403", Severity.Error, fewer.At(Site, "lengthy: {", "lengthy"));
        Assert.Equal("option lengthy has 2 value(s), but its definition takes 5 values (ipv4-address, psid, tuple, fqdn, string); give one value for each field.", error.Message);

        using var more = WithDefinitions("  lengthy: { data: \"192.0.2.74, 3/4, 1, example.org, text, extra\", space: acme }\n");
        more.Validate().AssertReported("KGO404", Severity.Error, more.At(Site, "lengthy: {", "lengthy"));

        // An array record repeats its last field: every value after the first is an address.
        using var array = WithDefinitions("  fancy: { data: \"7, 10.0.0.1, 10.0.0.2, nope\", space: acme }\n");
        var result = array.Validate();
        Assert.Contains("'nope' is not a valid value for option fancy: expected an IPv4 address", result.AssertReportedOnce("KGO403").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_option_carries_no_data()
    {
        using var inventory = WithDefinitions("  flag: { data: \"yes\", space: acme }\n");

        var error = inventory.Validate().AssertReported("KGO403", Severity.Error, inventory.At(Site, "flag: {", "\"yes\""));
        Assert.Contains("defined as empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_option_no_definition_names_is_unknown_with_did_you_mean_in_its_space()
    {
        using var custom = WithDefinitions("  lenghty: { data: \"x\", space: acme }\n");
        var error = custom.Validate().AssertReported("KGO402", Severity.Error, custom.At(Site, "lenghty", "lenghty"));
        Assert.StartsWith("no option-def defines an option 'lenghty' in space acme (did you mean 'lengthy'?)", error.Message, StringComparison.Ordinal);

        using var standard = WithDefinitions("  pxe-ulr: \"http://x\"\n");
        Assert.StartsWith("'pxe-ulr' is not a standard DHCPv4 option name and no option-def defines it (did you mean 'pxe-url'?)",
            standard.Validate().AssertReported("KGO402", Severity.Error, standard.At(Site, "pxe-ulr", "pxe-ulr")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_option_of_a_space_keagitops_has_no_definitions_for_is_left_to_Kea()
    {
        using var inventory = WithDefinitions("  oro: { data: \"32, 42\", space: docsis3-v4 }\n");

        inventory.Validate().AssertCodes("KGO204");
    }

    [Theory]
    [InlineData("{ name: one-field, code: 5, type: record, record-types: \"uint8\", space: acme }", "record-types", "a record has at least two fields")]
    [InlineData("{ name: text-first, code: 5, type: record, record-types: \"string, uint8\", space: acme }", "record-types", "a string field can only be the last one")]
    [InlineData("{ name: strings, code: 5, type: string, array: true, space: acme }", "array", "an array of string values")]
    [InlineData("{ name: my-routers, code: 3, type: ipv4-address }", "code", "code 3 is the standard option routers")]
    [InlineData("{ name: routers, code: 230, type: ipv4-address }", "name", "routers is the name of the standard option 3")]
    [InlineData("{ name: pad, code: 0, type: uint8 }", "code", "code 0 is reserved in dhcp4")]
    [InlineData("{ name: -bad, code: 5, type: uint8, space: acme }", "name", "a name is letters, digits")]
    [InlineData("{ name: self, code: 5, type: empty, space: acme, encapsulate: acme }", "encapsulate", "cannot encapsulate its own space")]
    [InlineData("{ name: lengthy, code: 9, type: uint8, space: acme }", "name", "space acme already has an option of this name")]
    [InlineData("{ name: other, code: 2, type: uint8, space: acme }", "code", "option lengthy of space acme already has code 2")]
    public void A_definition_Kea_refuses_is_KGO407_at_the_key_that_makes_it_so(string definition, string key, string problem)
    {
        using var inventory = WithDefinitions(string.Empty, Definitions.TrimEnd('\n') + "\n  - " + definition + "\n\n");

        var result = inventory.Validate();

        var line = inventory.At(Site, definition);
        var value = line with { Column = line.Column + definition.IndexOf(key + ": ", StringComparison.Ordinal) + key.Length + 2 };
        var error = result.AssertReported("KGO407", Severity.Error, value);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO407", "KGO204");
    }

    [Fact]
    public void Option_43_may_be_defined_as_Keas_own_examples_do()
    {
        using var inventory = WithDefinitions("  vendor-encapsulated-options: { data: \"01:02\", csv-format: false }\n", "option-def:\n  - { name: vendor-encapsulated-options, code: 43, type: binary }\n\n");

        inventory.Validate().AssertCodes("KGO204");
    }

    [Fact]
    public void An_unknown_type_or_a_missing_code_is_a_schema_error_at_the_definition()
    {
        using var inventory = WithDefinitions(string.Empty, "option-def:\n  - { name: pxe-url, type: text }\n\n");

        var result = inventory.Validate();

        Assert.Contains(result.Diagnostics, d => d.Code == "KGO102" && d.Message.Contains("code", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Code == "KGO104" && d.Location.Line == inventory.At(Site, "pxe-url").Line);
    }
}
