using System.Text.Json;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Diffing;

public sealed class KeaJsonTests
{
    /// <summary>Parses text that must be accepted, failing with Kea-style error text if it is not.</summary>
    private static KeaJsonResult Accept(string text, Func<string, string?>? readInclude = null, string path = "etc/kea/kea-dhcp4.conf")
    {
        var result = KeaJson.Parse(text, path, readInclude ?? NoIncludes);
        Assert.True(result.Succeeded, result.Error?.ToString());
        return result;
    }

    private static KeaJsonError Reject(string text, Func<string, string?>? readInclude = null, string path = "etc/kea/kea-dhcp4.conf")
    {
        using var result = KeaJson.Parse(text, path, readInclude ?? NoIncludes);
        Assert.False(result.Succeeded, "the text was accepted");
        return result.Error;
    }

    private static string? NoIncludes(string path) => throw new InvalidOperationException($"unexpected include of {path}");

    private static Func<string, string?> Files(Dictionary<string, string> files, List<string>? requested = null) => path =>
    {
        requested?.Add(path);
        return files.GetValueOrDefault(path);
    };

    private static JsonElement Dhcp4(KeaJsonResult result) => result.Document!.RootElement.GetProperty("Dhcp4");

    [Fact]
    public void Hash_slash_slash_and_block_comments_are_ignored_wherever_they_stand()
    {
        using var result = Accept("""
            # Kea 2.2 configuration, written by hand
            {
              "Dhcp4": { // the DHCPv4 server
                "valid-lifetime": /* one hour */ 3600,
                /* a block comment
                   over several lines, with "quotes" and a # and a // inside */
                "renew-timer": 900 # half of it
              }
            }
            """);

        Assert.Equal(3600, Dhcp4(result).GetProperty("valid-lifetime").GetInt32());
        Assert.Equal(900, Dhcp4(result).GetProperty("renew-timer").GetInt32());
        Assert.Equal(2, Dhcp4(result).EnumerateObject().Count());
    }

    [Fact]
    public void Comment_markers_inside_strings_are_part_of_the_string()
    {
        using var result = Accept("""
            { "Dhcp4": {
                "boot-file-name": "pxe/#1//boot/*.efi", // this one is a comment
                "server-hostname": "say \"# hi\" // /* not a comment */",
                "client-classes": [ { "name": "x", "test": "substring(option[60].hex,0,9) == 'PXEClient'" } ]
            } }
            """);

        Assert.Equal("pxe/#1//boot/*.efi", Dhcp4(result).GetProperty("boot-file-name").GetString());
        Assert.Equal("say \"# hi\" // /* not a comment */", Dhcp4(result).GetProperty("server-hostname").GetString());
    }

    [Fact]
    public void Trailing_commas_before_closing_brackets_and_braces_are_tolerated()
    {
        using var result = Accept("""
            { "Dhcp4": {
                "interfaces-config": { "interfaces": [ "eth0", "eth1", ], },
                "valid-lifetime": 4000,
            }, }
            """);

        Assert.Equal(["eth0", "eth1"], Dhcp4(result).GetProperty("interfaces-config").GetProperty("interfaces").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void An_include_is_replaced_by_the_included_text_found_beside_the_including_file()
    {
        var requested = new List<string>();
        var files = new Dictionary<string, string>
        {
            ["etc/kea/subnets.json"] = """
                // subnets, kept apart
                { "id": 1, "subnet": "192.0.2.0/24" },
                <?include "more/subnet2.json"?>
                """,
            ["etc/kea/more/subnet2.json"] = """{ "id": 2, "subnet": "198.51.100.0/24" }""",
        };

        using var result = Accept("""
            { "Dhcp4": { "subnet4": [ <?include "subnets.json"?> ], "valid-lifetime": 4000 } }
            """, Files(files, requested));

        Assert.Equal(["etc/kea/subnets.json", "etc/kea/more/subnet2.json"], requested);
        Assert.Equal(["192.0.2.0/24", "198.51.100.0/24"], Dhcp4(result).GetProperty("subnet4").EnumerateArray().Select(s => s.GetProperty("subnet").GetString()));
        Assert.Equal(4000, Dhcp4(result).GetProperty("valid-lifetime").GetInt32());
    }

    [Fact]
    public void An_include_may_be_a_fragment_spread_over_lines_and_its_absolute_path_is_kept()
    {
        var requested = new List<string>();
        var files = new Dictionary<string, string> { ["/srv/kea/timers.json"] = "\"renew-timer\": 900,\n\"rebind-timer\": 1800" };

        using var result = Accept("""
            { "Dhcp4": {
                <?
                  include "/srv/kea/timers.json"
                ?>
            } }
            """, Files(files, requested));

        Assert.Equal(["/srv/kea/timers.json"], requested);
        Assert.Equal(1800, Dhcp4(result).GetProperty("rebind-timer").GetInt32());
    }

    [Fact]
    public void A_missing_include_is_reported_at_the_directive_with_the_path_it_looked_for()
    {
        var error = Reject("""
            { "Dhcp4": {
                "subnet4": [ <?include "subnets.json"?> ]
            } }
            """, Files([]));

        Assert.Equal(new SourceLocation("etc/kea/kea-dhcp4.conf", 2, 18), error.Location);
        Assert.Equal("cannot read included file etc/kea/subnets.json", error.Message);
    }

    [Fact]
    public void A_syntax_error_is_reported_at_its_line_and_column_past_comments()
    {
        var error = Reject("""
            // header
            { "Dhcp4": {
                /* a
                   comment */ "valid-lifetime": 4000
                "renew-timer": 900
            } }
            """);

        Assert.Equal(new SourceLocation("etc/kea/kea-dhcp4.conf", 5, 5), error.Location);
        Assert.StartsWith("'\"' is invalid after a value.", error.Message);
        Assert.DoesNotContain("LineNumber", error.Message);
    }

    [Theory]
    [InlineData(".5", 0.5)]
    [InlineData("-.25", -0.25)]
    [InlineData("+.75", 0.75)]
    [InlineData("+3", 3.0)]
    [InlineData("5.", 5.0)]
    [InlineData("1.5e+3", 1500.0)]
    [InlineData("2E-1", 0.2)]
    [InlineData("0.5", 0.5)]
    public void Numbers_are_read_as_keas_lexer_reads_them(string written, double value)
    {
        // Kea's integer rule is -?[0-9]+: anything else it reads is a float, and stays one here.
        // Kea's own all-keys.json example writes "t1-percent": .5; its lexer takes [-+]?[0-9]*\.?[0-9]*([eE][-+]?[0-9]+)?
        using var result = Accept($$"""{ "Dhcp4": { "t1-percent": {{written}}, "list": [{{written}}, "+1.5 in a string"] } }""");

        Assert.Equal(value, Dhcp4(result).GetProperty("t1-percent").GetDouble(), 9);
        Assert.Equal(value, Dhcp4(result).GetProperty("list")[0].GetDouble(), 9);
        Assert.Equal("+1.5 in a string", Dhcp4(result).GetProperty("list")[1].GetString());
        Assert.False(Dhcp4(result).GetProperty("t1-percent").TryGetInt64(out _), "read as an integer");
    }

    [Fact]
    public void An_error_after_a_rewritten_number_is_still_reported_at_its_place_in_the_file()
    {
        var error = Reject("""{ "Dhcp4": { "t1-percent": .5, "t2-percent": .75 x } }""");

        Assert.Equal(new SourceLocation("etc/kea/kea-dhcp4.conf", 1, 50), error.Location);
    }

    [Fact]
    public void The_column_of_an_error_counts_utf16_characters_not_utf8_bytes()
    {
        var error = Reject("""{ "hostname": "café-😀", ] }""");

        Assert.Equal(new SourceLocation("etc/kea/kea-dhcp4.conf", 1, 26), error.Location);
    }

    [Fact]
    public void A_syntax_error_in_an_included_file_is_reported_in_that_file()
    {
        var files = new Dictionary<string, string> { ["etc/kea/subnets.json"] = "# subnets\n{ \"id\": 1,\n  \"subnet\" \"192.0.2.0/24\" }" };

        var error = Reject("""{ "Dhcp4": { "subnet4": [ <?include "subnets.json"?> ] } }""", Files(files));

        Assert.Equal(new SourceLocation("etc/kea/subnets.json", 3, 12), error.Location);
    }

    [Fact]
    public void A_syntax_error_after_an_include_is_reported_in_the_including_file()
    {
        var files = new Dictionary<string, string> { ["etc/kea/subnets.json"] = "{ \"id\": 1 },\n{ \"id\": 2 }\n" };

        var error = Reject("""
            { "Dhcp4": {
                "subnet4": [ <?include "subnets.json"?> ],
                "valid-lifetime": 4000 x
            } }
            """, Files(files));

        Assert.Equal(new SourceLocation("etc/kea/kea-dhcp4.conf", 3, 28), error.Location);
    }

    [Fact]
    public void An_include_cycle_is_reported_with_the_chain_of_files()
    {
        var files = new Dictionary<string, string>
        {
            ["etc/kea/a.json"] = """<?include "b.json"?>""",
            ["etc/kea/b.json"] = """
                // b includes a again
                <?include "a.json"?>
                """,
        };

        var error = Reject("""{ "Dhcp4": <?include "a.json"?> }""", Files(files));

        Assert.Equal(new SourceLocation("etc/kea/b.json", 2, 1), error.Location);
        Assert.Equal("include cycle: etc/kea/a.json -> etc/kea/b.json -> etc/kea/a.json", error.Message);
    }

    [Fact]
    public void Includes_nested_deeper_than_kea_allows_are_refused()
    {
        // file0 includes file1, ..., each a different file, so only the depth bound can stop it.
        string? Chain(string path) => $"<?include \"file{int.Parse(path["etc/kea/file".Length..^".json".Length]) + 1}.json\"?>";

        var error = Reject("""<?include "file1.json"?>""", Chain);

        Assert.StartsWith("includes nested more than 10 deep: etc/kea/kea-dhcp4.conf -> etc/kea/file1.json", error.Message);
        Assert.EndsWith("-> etc/kea/file11.json", error.Message);
        Assert.Equal(new SourceLocation("etc/kea/file10.json", 1, 1), error.Location);
    }

    [Theory]
    [InlineData("{ \"a\": 1 /* never closed\n}", 1, 10, "comment not closed: this /* has no */")]
    [InlineData("{ <?inclde \"x.json\"?> }", 1, 3, "expected <?include \"path\"?>")]
    [InlineData("{ <?include \"x.json\" }", 1, 3, "include directive not closed: expected ?> after the path")]
    [InlineData("{ <?include \"\"?> }", 1, 3, "expected <?include \"path\"?>")]
    public void A_broken_comment_or_directive_is_reported_where_it_starts(string text, int line, int column, string message)
    {
        var error = Reject(text);

        Assert.Equal((new SourceLocation("etc/kea/kea-dhcp4.conf", line, column), message), (error.Location, error.Message));
    }

    [Fact]
    public void An_unreadable_file_is_an_error_not_an_exception()
    {
        using var result = KeaJson.Load("/nonexistent/kea-dhcp4.conf");

        Assert.Equal("/nonexistent/kea-dhcp4.conf:1:1: cannot read /nonexistent/kea-dhcp4.conf", result.Error?.ToString());
    }

    [Fact]
    public void Keas_shipped_dhcp4_configuration_parses_with_its_one_subnet_and_six_reservations()
    {
        // Debian's Kea 2.2 /etc/kea/kea-dhcp4.conf: // comments throughout, commented-out JSON, a trailing comma.
        using var result = KeaJson.Load(RepositoryLayout.Fixture("kea-syntax/kea-dhcp4.conf"));
        Assert.True(result.Succeeded, result.Error?.ToString());

        var subnet = Assert.Single(Dhcp4(result).GetProperty("subnet4").EnumerateArray());
        Assert.Equal("192.0.2.0/24", subnet.GetProperty("subnet").GetString());
        Assert.Equal(6, subnet.GetProperty("reservations").GetArrayLength());
        Assert.Equal("'s0mEVaLue'", subnet.GetProperty("reservations")[5].GetProperty("flex-id").GetString());
        Assert.Equal("%-5p %m\n", Dhcp4(result).GetProperty("loggers")[0].GetProperty("output_options")[0].GetProperty("pattern").GetString());
        Assert.False(Dhcp4(result).GetProperty("interfaces-config").TryGetProperty("dhcp-socket-type", out _), "a commented-out key was read");
    }

    [Fact]
    public void Keas_shipped_control_agent_configuration_parses_with_its_three_control_sockets()
    {
        using var result = KeaJson.Load(RepositoryLayout.Fixture("kea-syntax/kea-ctrl-agent.conf"));
        Assert.True(result.Succeeded, result.Error?.ToString());

        var agent = result.Document.RootElement.GetProperty("Control-agent");
        Assert.Equal(["dhcp4", "dhcp6", "d2"], agent.GetProperty("control-sockets").EnumerateObject().Select(p => p.Name));
        Assert.Equal(8000, agent.GetProperty("http-port").GetInt32());
        Assert.Equal(0, agent.GetProperty("hooks-libraries").GetArrayLength());
    }
}
