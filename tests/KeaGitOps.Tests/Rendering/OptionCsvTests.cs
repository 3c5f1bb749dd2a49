using System.Text.Json;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Import;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Options;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.Support;
using KeaGitOps.Tests.Validation;
using Xunit;
using static KeaGitOps.Tests.Validation.ExampleInventory;

namespace KeaGitOps.Tests.Rendering;

/// <summary>
/// Option data reaches clients as the inventory says: values escaped for Kea's csv tokenizer, values Kea
/// would change refused (KGO405), and import reading data the way Kea does. The wire tests
/// (Wire/OptionDeliveryTests) prove the same against a real Kea.
/// </summary>
public sealed class OptionCsvTests
{
    private static readonly SourceLocation Nowhere = new("site.yaml", 1, 1);

    private static OptionValue Option(string name, bool isList, params string[] values) => new()
    {
        Name = name,
        IsList = isList,
        Values = values.Select(v => new Located<string>(v, Nowhere)).ToList(),
    };

    // ---- Escaping and Kea's reading ----------------------------------------------------------

    [Theory]
    [InlineData("192.168.1.5:/srv/nfsroot,vers=3,tcp", @"192.168.1.5:/srv/nfsroot\,vers=3\,tcp")]
    [InlineData(@"\\wds01\reminst\boot\x64\wdsnbp.com", @"\\\\wds01\\reminst\\boot\\x64\\wdsnbp.com")]
    [InlineData(@"ends with a backslash\", @"ends with a backslash\\")]
    [InlineData(@"\,", @"\\\,")]
    [InlineData("plain text, nothing else: \"quotes\" 'and' ünïcödé", "plain text\\, nothing else: \"quotes\" 'and' ünïcödé")]
    [InlineData("pxelinux.0", "pxelinux.0")]
    public void Escape_doubles_backslashes_and_escapes_commas(string value, string escaped)
    {
        Assert.Equal(escaped, OptionCsv.Escape(value));
    }

    [Theory]
    [InlineData(@"a\,b", new[] { "a,b" })]
    [InlineData(@"a\\b", new[] { @"a\b" })]
    [InlineData(@"a\b", new[] { @"a\b" })]           // a backslash escaping nothing Kea knows stays
    [InlineData(@"a\", new[] { @"a\" })]             // so does a trailing one
    [InlineData(@"a\\,b", new[] { @"a\", "b" })]
    [InlineData("a,,b", new[] { "a", "b" })]          // Kea drops empty pieces...
    [InlineData("a, ,b", new[] { "a", "", "b" })]     // ...but a blank one is trimmed to an empty value
    [InlineData(",a", new[] { "a" })]
    [InlineData(" 10.0.0.1 ,\t10.0.0.2\n", new[] { "10.0.0.1", "10.0.0.2" })]
    [InlineData("", new string[0])]
    public void Split_reads_data_as_keas_tokenizer_does(string data, string[] values)
    {
        Assert.Equal(values, OptionCsv.Split(data));
    }

    [Theory]
    [InlineData("192.168.1.5:/srv/nfsroot,vers=3,tcp")]
    [InlineData(@"\\server\share\,dir\")]
    [InlineData(@"\,\\,,\")]
    [InlineData(",leading comma")]
    [InlineData("trailing comma,")]
    [InlineData("inner  spaces  kept")]
    public void Every_value_kea_can_carry_comes_back_whole_from_its_escaped_form(string value)
    {
        Assert.Null(OptionCsv.Unrepresentable(value, oneOfSeveral: false));
        Assert.Equal([value], OptionCsv.Split(OptionCsv.Escape(value)));
    }

    [Fact]
    public void A_list_of_values_comes_back_value_by_value()
    {
        string[] values = ["a,b", @"c\", @"\d", "e"];

        var data = OptionCsv.Data(Option("slp-service-scope", isList: true, values));

        Assert.Equal(@"a\,b, c\\, \\d, e", data);
        Assert.Equal(values, OptionCsv.Split(data));
    }

    [Theory]
    [InlineData(" leading", false)]
    [InlineData("trailing\t", false)]
    [InlineData("line\n", false)]
    [InlineData(" ", false)]
    [InlineData("", true)]
    public void Values_kea_would_change_are_named(string value, bool oneOfSeveral)
    {
        Assert.NotNull(OptionCsv.Unrepresentable(value, oneOfSeveral));
    }

    [Fact]
    public void A_sole_empty_value_is_not_a_change()
    {
        Assert.Null(OptionCsv.Unrepresentable(string.Empty, oneOfSeveral: false));
    }

    // ---- Which values an option carries --------------------------------------------------------

    [Fact]
    public void A_single_valued_string_option_keeps_its_commas()
    {
        Assert.Equal(@"192.168.1.5:/srv/nfsroot\,vers=3\,tcp", OptionCsv.Data(Option("root-path", isList: false, "192.168.1.5:/srv/nfsroot,vers=3,tcp")));
    }

    [Fact]
    public void A_string_for_an_array_option_is_split_at_its_commas()
    {
        var option = Option("domain-name-servers", isList: false, "10.0.0.1,10.0.0.2 , 10.0.0.3");

        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], OptionCsv.Values(option).Select(v => v.Value));
        Assert.Equal("10.0.0.1, 10.0.0.2, 10.0.0.3", OptionCsv.Data(option));
    }

    [Fact]
    public void A_list_entry_of_an_array_option_is_one_value_commas_included()
    {
        var option = Option("domain-search", isList: true, "corp.example", "a,b.example");

        Assert.Equal(["corp.example", "a,b.example"], OptionCsv.Values(option).Select(v => v.Value));
        Assert.Equal(@"corp.example, a\,b.example", OptionCsv.Data(option));
    }

    [Fact]
    public void Raw_data_is_passed_as_written()
    {
        var option = Option("root-path", isList: false, @"'a,b\c'");
        option.CsvFormat = false;

        Assert.Equal(@"'a,b\c'", OptionCsv.Data(option));
    }

    [Fact]
    public void Rendered_config_carries_the_escaped_data()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "  domain-name: lakehouse.wtf", "  domain-name: lakehouse.wtf\n  root-path: \"192.168.1.5:/srv/nfsroot,vers=3,tcp\"\n  boot-file-name: '\\\\wds01\\boot\\x64\\wdsnbp.com'");

        var result = RenderPipeline.Default(inventory.Folder).Run(inventory.Folder, null, () => null);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        using var config = JsonDocument.Parse(result.Servers![0].File(TemplateSet.Dhcp4).Text);
        var options = config.RootElement.GetProperty("Dhcp4").GetProperty("option-data").EnumerateArray()
            .ToDictionary(o => o.GetProperty("name").GetString()!, o => o.GetProperty("data").GetString());
        Assert.Equal(@"192.168.1.5:/srv/nfsroot\,vers=3\,tcp", options["root-path"]);
        Assert.Equal(@"\\\\wds01\\boot\\x64\\wdsnbp.com", options["boot-file-name"]);
        Assert.Equal("192.168.1.253, 192.168.1.224", options["domain-name-servers"]);
    }

    // ---- Validation ---------------------------------------------------------------------------

    [Fact]
    public void A_comma_in_a_string_option_is_valid()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "  domain-name: lakehouse.wtf", "  domain-name: lakehouse.wtf\n  root-path: \"192.168.1.5:/srv/nfsroot,vers=3,tcp\"");

        inventory.Validate().AssertCodes("KGO204");
    }

    [Fact]
    public void A_string_value_with_a_leading_space_is_refused_where_it_is_written()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "  domain-name: lakehouse.wtf", "  domain-name: lakehouse.wtf\n  root-path: \" /srv/nfsroot\"");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO405", Severity.Error, inventory.At(Site, "root-path", "\" /srv"));
        Assert.Equal("option root-path cannot deliver ' /srv/nfsroot' as written: Kea removes spaces, tabs and line breaks at either end of a value; remove them, or give the bytes as hex with csv-format: false.", error.Message);
        result.AssertCodes("KGO405", "KGO204");
    }

    [Fact]
    public void An_empty_field_among_a_records_values_is_refused()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "  domain-name: lakehouse.wtf", "  domain-name: lakehouse.wtf\n  slp-service-scope: [\"\", scope-a]");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO405", Severity.Error, inventory.At(Site, "slp-service-scope", "\"\""));
        Assert.Contains("Kea cannot carry an empty value among several", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO405", "KGO204");
    }

    [Fact]
    public void A_record_given_as_a_list_is_not_several_values_for_one_option()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "  domain-name: lakehouse.wtf", "  domain-name: lakehouse.wtf\n  slp-service-scope: [false, \"scope-a,scope-b\"]");

        inventory.Validate().AssertCodes("KGO204");
    }

    [Fact]
    public void A_domain_search_entry_holding_a_comma_is_one_invalid_name_not_two_names()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "  domain-name: lakehouse.wtf", "  domain-name: lakehouse.wtf\n  domain-search: [lakehouse.wtf, \"corp,example.org\"]");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO403", Severity.Error, inventory.At(Site, "domain-search", "\"corp,"));
        Assert.StartsWith("'corp,example.org' is not a valid value for option domain-search", error.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO403", "KGO204");
    }

    [Fact]
    public void Options_in_other_spaces_are_checked_for_values_kea_would_change_too()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "  domain-name: lakehouse.wtf", "  domain-name: lakehouse.wtf\n  my-option: { data: [\"text \"], space: vendor-1234, code: 1 }");

        var result = inventory.Validate();

        result.AssertReported("KGO405", Severity.Error, inventory.At(Site, "my-option", "\"text \""));
        result.AssertCodes("KGO405", "KGO204");
    }

    [Fact]
    public void Kea_comma_escape_written_by_hand_is_a_warning_at_its_value()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "  domain-name: lakehouse.wtf", "  domain-name: lakehouse.wtf\n  root-path: '192.168.1.5:/srv/nfsroot\\,vers=3'");

        var result = inventory.Validate();

        var warning = result.AssertReported("KGO406", Severity.Warning, inventory.At(Site, "root-path", "'192.168"));
        Assert.StartsWith(@"option root-path value '192.168.1.5:/srv/nfsroot\,vers=3' holds '\,', Kea's escape for a comma", warning.Message, StringComparison.Ordinal);
        result.AssertCodes("KGO406", "KGO204");
    }

    [Fact]
    public void A_unc_path_is_not_mistaken_for_a_kea_escape()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "  domain-name: lakehouse.wtf", "  domain-name: lakehouse.wtf\n  boot-file-name: '\\\\wds01\\boot\\x64\\wdsnbp.com'");

        inventory.Validate().AssertCodes("KGO204");
    }

    // ---- Import ---------------------------------------------------------------------------------

    [Fact]
    public void Import_reads_escaped_data_as_kea_delivers_it()
    {
        using var config = JsonDocument.Parse("""
            { "Dhcp4": { "option-data": [
                { "name": "root-path", "data": "192.168.1.5:/srv/nfsroot\\,vers=3\\,tcp" },
                { "name": "boot-file-name", "data": "\\\\\\\\wds01\\\\boot" },
                { "name": "domain-search", "data": "corp.example, lab.example" },
                { "name": "host-name", "data": "a, b" } ] } }
            """);

        var snapshot = KeaConfigReader.Read("kea-1", config.RootElement);

        string Imported(string name) => snapshot.Settings.Single(s => s.Key == "option-data." + name).Value.ToYaml();
        Assert.Equal("\"192.168.1.5:/srv/nfsroot,vers=3,tcp\"", Imported("root-path"));
        Assert.Equal("""
            "\\\\wds01\\boot"
            """, Imported("boot-file-name")); // \\wds01\boot, what Kea sends for that data, in YAML
        Assert.Equal("[\"corp.example\", \"lab.example\"]", Imported("domain-search"));
        Assert.Equal("[\"a\", \"b\"]", Imported("host-name")); // Kea sends only "a": validation says so (KGO404)
    }

    [Fact]
    public void Round_trip_compares_option_data_by_the_values_kea_reads()
    {
        using var live = JsonDocument.Parse("""{ "Dhcp4": { "option-data": [ { "name": "boot-file-name", "data": "a\\b\\,c" } ] } }""");
        using var same = JsonDocument.Parse("""{ "Dhcp4": { "option-data": [ { "name": "boot-file-name", "data": "a\\\\b\\,c" } ] } }""");
        using var other = JsonDocument.Parse("""{ "Dhcp4": { "option-data": [ { "name": "boot-file-name", "data": "a\\\\b,c" } ] } }""");

        Assert.Empty(ImportRoundTrip.Differences(live.RootElement, same.RootElement, []));
        Assert.Single(ImportRoundTrip.Differences(live.RootElement, other.RootElement, []));
    }
}
