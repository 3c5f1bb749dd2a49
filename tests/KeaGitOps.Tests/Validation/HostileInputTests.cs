using System.Text;
using System.Text.Json.Nodes;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.Support;
using Xunit.Abstractions;

namespace KeaGitOps.Tests.Validation;

/// <summary>
/// The project's table of careless and hostile inputs. Each row edits a copy of the example inventory
/// and names its one acceptable outcome: a located error (code at file:line:col) or a correct render.
/// None may crash, hang (each row is bounded in time) or change a value silently.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    /// <summary>Generous for a loaded two-core machine; the alias bombs took minutes before they were bounded.</summary>
    private static readonly TimeSpan RowTimeout = TimeSpan.FromSeconds(60);

    private const string Site = ExampleInventory.Site;
    private const string Lights = ExampleInventory.Lights;
    private const string Extra = "reservations/extra.yaml";

    /// <summary>The example's reservations-from line, read from the example so that editing it moves no row.</summary>
    private static readonly int FromLine = Array.FindIndex(ExampleSiteLines(), l => l.StartsWith("    reservations-from:", StringComparison.Ordinal)) + 1;

    /// <summary>The line just after the example's site.yaml ends: where a line appended to it lands.</summary>
    private static readonly int EndLine = ExampleSiteLines().Length + 1;

    /// <summary>The example's reservations-from line, where findings about its targets point.</summary>
    private static readonly SourceLocation ReservationsFrom = new(Site, FromLine, 24);

    private delegate void Expectation(TempInventory inventory, RenderResult result);

    private sealed record Row(Action<TempInventory> Edit, Expectation Expect);

    private static readonly Dictionary<string, Row> Rows = new(StringComparer.Ordinal)
    {
        // ---- YAML syntax -------------------------------------------------------------------------------------
        ["tab indenting line 8 of a reservations file"] = new(
            i => ReplaceLine(i, Lights, 8, "\t" + Line(i, Lights, 8)),
            Error("KGO001", Lights, 8, 1)),
        ["tab indenting a key in site.yaml"] = new(
            i => ReplaceLine(i, Site, 11, "\taddress: 192.168.1.133"),
            Error("KGO001", Site, 11, 1)),
        ["tab before a nested key in site.yaml"] = new(
            i => ReplaceLine(i, Site, 27, "  \theartbeat-delay: 10000"),
            Error("KGO001", Site, 27, 3)),
        ["key without a colon"] = new(
            i => ReplaceLine(i, Site, 27, "  heartbeat-delay 10000"),
            Error("KGO001", Site, 27, 3)),
        ["flow mapping never closed"] = new(
            i => i.Append(Lights, "- { hw-address: \"02:00:00:00:00:99\", ip-address: 192.168.1.99\n"),
            Error("KGO001", Lights, 20, 3, "still open at line 21")),
        ["quote never closed"] = new(
            i => i.Append(Lights, "- { hw-address: \"02:00:00:00:00:99, ip-address: 192.168.1.99 }\n"),
            Error("KGO001", Lights, 20, 17)),
        ["a second YAML document"] = new(
            i => i.Append(Site, "---\nvalid-lifetime: 3600\n"),
            Error("KGO004", Site, EndLine, 1)),

        // ---- Encodings ---------------------------------------------------------------------------------------
        ["UTF-8 byte order mark"] = new(
            i => WriteBytes(i, Site, [0xEF, 0xBB, 0xBF, .. ReadBytes(i, Site)]),
            RendersLikeExample()),
        ["UTF-16 with a byte order mark"] = new(
            i => WriteBytes(i, Site, Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(i.Read(Site))).ToArray()),
            Error("KGO007", Site, 1, 1, "UTF-16")),
        ["UTF-16 without a byte order mark"] = new(
            i => WriteBytes(i, Lights, Encoding.Unicode.GetBytes(i.Read(Lights))),
            Error("KGO007", Lights, 1, 2, "NUL")),
        ["NUL byte in a comment"] = new(
            i => ReplaceLine(i, Site, 36, "    password-file: kea-api-password   # a file\0 in /etc/kea"),
            Error("KGO007", Site, 36, 47, "NUL")),
        ["Windows-1252 byte in a comment"] = new(
            i => WriteBytes(i, Lights, [.. ReadBytes(i, Lights), .. "# Gr"u8, 0xFC, .. "n\n"u8]),
            Error("KGO007", Lights, 20, 5, "0xFC")),
        ["Windows-1252 byte after non-ASCII text on the same line"] = new(
            i => WriteBytes(i, Site, [.. ReadBytes(i, Site), .. "# Grüße, "u8, 0xE9, .. "\n"u8]),
            Error("KGO007", Site, EndLine, 10, "0xE9")),
        ["UTF-8 sequence cut off at the end of the file"] = new(
            i => WriteBytes(i, Lights, [.. ReadBytes(i, Lights), .. "# ab"u8, 0xE2, 0x82]),
            Error("KGO007", Lights, 20, 5)),
        ["CRLF line endings"] = new(
            i =>
            {
                i.Write(Site, i.Read(Site).ReplaceLineEndings("\r\n"));
                i.Write(Lights, i.Read(Lights).ReplaceLineEndings("\r\n"));
            },
            RendersLikeExample()),
        ["non-ASCII UTF-8 in comments"] = new(
            i => i.Append(Lights, "# Grüße 🌍 ‮\n"),
            RendersLikeExample()),

        // ---- Aliases, anchors, merge keys ------------------------------------------------------------------
        ["alias bomb: nine levels of nine in a reservation's option-data"] = new(
            i => i.Write(Extra, AliasBomb(9)),
            ErrorAt("KGO006", i => i.At(Extra, "&a6", "*a5"), "alias", only: true)),
        ["alias bomb: seven levels"] = new(
            i => i.Write(Extra, AliasBomb(7)),
            ErrorAt("KGO006", i => i.At(Extra, "&a6", "*a5"), "alias", only: true)),
        ["more than 10,000 aliases"] = new(
            i => i.Write(Extra, ReservationHead + "    domain-name-servers:\n      - &a 192.168.1.1\n" + string.Concat(Enumerable.Repeat("      - *a\n", 10_001))),
            Error("KGO006", Extra, 10_006, 9, "10,000 aliases", only: true)),
        ["aliases across many files beyond the inventory's limit"] = new(
            i =>
            {
                // 74,727 values a file, within its own limit; the fourteenth file crosses 1,000,000.
                for (var n = 0; n < 14; n++)
                {
                    i.Write($"reservations/bomb-{n:d2}.yaml", AliasBomb(6));
                }
            },
            Error("KGO006", "reservations/bomb-13.yaml", 1, 1, "in all", only: true)),
        ["anchors nesting each other's aliases deeper than 64 levels"] = new(
            i => i.Write(Extra, ReservationHead + "    domain-name-servers:\n      - &n0 [[[[[[[[[[1]]]]]]]]]]\n"
                + string.Concat(Enumerable.Range(1, 7).Select(n => $"      - &n{n} [[[[[[[[[[*n{n - 1}]]]]]]]]]]\n"))),
            ErrorAt("KGO006", i => i.At(Extra, "&n5 ", "*n4"), "nested", only: true)),
        ["anchors and aliases used sensibly"] = new(
            i => i.Write(Extra, """
                - hw-address: "02:00:00:00:00:98"
                  ip-address: 192.168.1.98
                  option-data: &pxe { boot-file-name: pxe.bin }
                - hw-address: "02:00:00:00:00:99"
                  ip-address: 192.168.1.99
                  option-data: *pxe

                """),
            Renders(result =>
            {
                foreach (var mac in new[] { "02:00:00:00:00:98", "02:00:00:00:00:99" })
                {
                    var options = RenderedReservation(result, mac)["option-data"]!.AsArray();
                    Assert.Equal("pxe.bin", options.Single(o => (string?)o!["name"] == "boot-file-name")!["data"]!.GetValue<string>());
                }
            })),
        ["merge key"] = new(
            i => ReplaceLine(i, Site, 33, "  <<: { port: 8001 }"),
            Error("KGO006", Site, 33, 3, "merge keys")),
        ["alias to an anchor that does not exist"] = new(
            i => ReplaceLine(i, Site, 33, "  port: *nothing"),
            Error("KGO001", Site, 33, 9, "nothing")),
        ["anchor that contains its own alias"] = new(
            i => ReplaceLine(i, Site, 33, "  port: &a [*a]"),
            Error("KGO001", Site, 33, 13)),

        // ---- Tags --------------------------------------------------------------------------------------------
        ["!!str makes a number a string"] = new(
            i => ReplaceLine(i, Site, 33, "  port: !!str 8001"),
            Error("KGO103", Site, 33, 9)),
        ["!!int tag"] = new(
            i => ReplaceLine(i, Site, 33, "  port: !!int 8001"),
            Error("KGO006", Site, 33, 9, "!!int")),
        ["local tag"] = new(
            i => ReplaceLine(i, Site, 51, "  domain-name: !custom lakehouse.wtf"),
            Error("KGO006", Site, 51, 16, "!custom")),
        ["!!binary tag"] = new(
            i => ReplaceLine(i, Site, 51, "  domain-name: !!binary bGFrZWhvdXNlLnd0Zg=="),
            Error("KGO006", Site, 51, 16, "!!binary")),
        ["language-specific tag on a list"] = new(
            i => ReplaceLine(i, Site, 51, "  domain-name: !!python/object/apply:os.system [\"id\"]"),
            Error("KGO006", Site, 51, 16, "python")),

        // ---- Duplicate keys ----------------------------------------------------------------------------------
        ["key twice in one file"] = new(
            i => i.Append(Site, "valid-lifetime: 3600\n"),
            Error("KGO002", Site, EndLine, 1)),
        ["key twice across two files"] = new(
            i => i.Write("timers.yaml", "valid-lifetime: 3600\n"),
            Error("KGO002", "timers.yaml", 1, 1)),
        ["key twice in a flow reservation"] = new(
            i => i.Append(Lights, "- { hw-address: \"02:00:00:00:00:99\", ip-address: 192.168.1.99, ip-address: 192.168.1.98 }\n"),
            Error("KGO002", Lights, 20, 64)),

        // ---- Huge numbers --------------------------------------------------------------------------------------
        ["valid-lifetime beyond 64 bits"] = new(
            i => ReplaceLine(i, Site, 47, "valid-lifetime: 99999999999999999999"),
            Error("KGO104", Site, 47, 17, "99999999999999999999, which is not allowed: out of range (1 to 4294967295)")),
        ["valid-lifetime one past Kea's range"] = new(
            i => ReplaceLine(i, Site, 47, "valid-lifetime: 4294967296"),
            Error("KGO104", Site, 47, 17, "out of range (1 to 4294967295)")),
        ["negative subnet id beyond 64 bits"] = new(
            i => ReplaceLine(i, Site, 54, "  - id: -99999999999999999999"),
            Error("KGO104", Site, 54, 9, "out of range (1 to 4294967294)")),
        ["HA port beyond 65535"] = new(
            i => ReplaceLine(i, Site, 26, "  port: 70000"),
            Error("KGO104", Site, 26, 9, "out of range (1 to 65535)")),
        ["max-unacked-clients beyond 64 bits"] = new(
            i => ReplaceLine(i, Site, 30, "  max-unacked-clients: 99999999999999999999"),
            Error("KGO104", Site, 30, 24, "out of range (0 to 4294967295)")),
        ["number beyond a double"] = new(
            i => ReplaceLine(i, Site, 47, "valid-lifetime: 1e400"),
            Error("KGO103", Site, 47, 17, "must be an integer, not 1e400")),

        // ---- Wrong types ---------------------------------------------------------------------------------------
        ["list where a number goes"] = new(
            i => ReplaceLine(i, Site, 33, "  port: [8001]"),
            Error("KGO103", Site, 33, 9)),
        ["reservations file holding a mapping"] = new(
            i => i.Write(Extra, "hw-address: \"02:00:00:00:00:99\"\nip-address: 192.168.1.99\n"),
            Error("KGO004", Extra, 1, 1)),
        ["top-level file holding a list"] = new(
            i => i.Write("more.yaml", "- valid-lifetime: 3600\n"),
            Error("KGO004", "more.yaml", 1, 1)),
        ["list where a hostname goes"] = new(
            i => i.Append(Lights, "- { hw-address: \"02:00:00:00:00:99\", ip-address: 192.168.1.99, hostname: [a, b] }\n"),
            Error("KGO103", Lights, 20, 74)),

        // ---- Deep nesting, long text -------------------------------------------------------------------------
        ["100,000 nested lists"] = new(
            i => i.Write(Extra, DeepReservation("[", "]", 100_000)),
            Error("KGO006", Extra, 1, DeepPrefix.Length + 1 + 61, "nested", only: true)),
        ["10,000 nested mappings"] = new(
            i => i.Write(Extra, DeepReservation("{ x: ", " }", 10_000)),
            Error("KGO006", Extra, 1, DeepPrefix.Length + 1 + (60 * 5) + 2, "nested", only: true)),
        ["a comment of a million characters"] = new(
            i => i.Append(Lights, $"- {{ hw-address: \"02:00:00:00:00:99\", ip-address: 192.168.1.99, comment: \"{new string('x', 1_000_000)}\" }}\n"),
            Renders(result => Assert.Equal(new string('x', 1_000_000), RenderedReservation(result, "02:00:00:00:00:99")["user-context"]!["comment"]!.GetValue<string>()))),
        ["a hostname of 100,000 characters"] = new(
            i => i.Append(Lights, $"- {{ hw-address: \"02:00:00:00:00:99\", ip-address: 192.168.1.99, hostname: {new string('a', 100_000)} }}\n"),
            Error("KGO214", Lights, 20, 74)),
        ["a key of 2,000 characters"] = new(
            i => i.Append(Site, new string('k', 2_000) + ": 1\n"),
            Error("KGO001", Site, EndLine, 1)),

        // ---- Empty files, files that are folders --------------------------------------------------------------
        ["empty reservations file"] = new(
            i => i.Write(Extra, string.Empty),
            RendersLikeExample()),
        ["empty top-level file"] = new(
            i => i.Write("empty.yaml", string.Empty),
            RendersLikeExample()),
        ["reservations file of comments and blank lines only"] = new(
            i => i.Write(Extra, "# nothing yet\n\n   \n# still nothing\n"),
            RendersLikeExample()),
        ["a FIFO named like a reservations file reads as empty, never blocks"] = new(
            i => System.Diagnostics.Process.Start("mkfifo", Path.Combine(i.Folder, Extra))!.WaitForExit(),
            RendersLikeExample()),
        ["a folder named like a reservations file"] = new(
            i =>
            {
                var lights = i.Read(Lights);
                i.Delete(Lights);
                i.Write(Lights + "/lights.yaml", lights);
            },
            RendersLikeExample()),

        // ---- Symbolic links --------------------------------------------------------------------------------------
        ["link from the reservations folder to its parent"] = new(
            i => Link(i, "reservations/loop", ".."),
            Error("KGO008", ReservationsFrom, "reservations/loop (-> ..)", only: true)),
        ["link to itself"] = new(
            i => Link(i, "reservations/self.yaml", "self.yaml"),
            Error("KGO008", ReservationsFrom, "reservations/self.yaml", only: true)),
        ["link to a file outside the inventory"] = new(
            i => Link(i, "reservations/outside.yaml", "/dev/null"),
            Error("KGO008", ReservationsFrom, "reservations/outside.yaml (-> /dev/null) leads outside", only: true)),
        ["link to a folder outside the inventory"] = new(
            i => Link(i, "reservations/root", "/"),
            Error("KGO008", ReservationsFrom, "reservations/root (-> /) leads outside", only: true)),
        ["top-level link to a file outside the inventory"] = new(
            i => Link(i, "outside.yaml", "/dev/null"),
            Error("KGO008", "outside.yaml", 1, 1, "leads outside", only: true)),
        ["reservations-from naming a link to a folder outside"] = new(
            i =>
            {
                Link(i, "hosts", "/usr");
                ReplaceLine(i, Site, FromLine, "    reservations-from: hosts/");
            },
            Error("KGO008", ReservationsFrom, "hosts (-> /usr) leads outside", only: true)),
        ["link that leads nowhere"] = new(
            i => Link(i, "reservations/gone.yaml", "missing.yaml"),
            Error("KGO005", ReservationsFrom, "reservations/gone.yaml (-> missing.yaml) leads nowhere", only: true)),
        ["second link to a reservations file in the same folder"] = new(
            i => Link(i, "reservations/again.yaml", "lights.yaml"),
            Error("KGO009", ReservationsFrom, "reservations/again.yaml", only: true)),
        ["link to a folder inside the inventory"] = new(
            i =>
            {
                i.Write("more-hosts/printer.yaml", "- { hw-address: \"02:00:00:00:00:99\", ip-address: 192.168.1.99, hostname: printer }\n");
                Link(i, "reservations/more", "../more-hosts");
            },
            Renders(result => Assert.Equal("printer", RenderedReservation(result, "02:00:00:00:00:99")["hostname"]!.GetValue<string>()))),

        // ---- Paths out of the inventory, references read twice -----------------------------------------------
        ["reservations-from climbing out of the inventory"] = new(
            i => ReplaceLine(i, Site, FromLine, "    reservations-from: ../reservations/"),
            Error("KGO005", ReservationsFrom, "outside the inventory", only: true)),
        ["reservations-from with an absolute path"] = new(
            i => ReplaceLine(i, Site, FromLine, "    reservations-from: /etc/"),
            Error("KGO005", ReservationsFrom, "outside the inventory", only: true)),
        ["reservations-from climbing out through a folder"] = new(
            i => ReplaceLine(i, Site, FromLine, "    reservations-from: reservations/../../x/"),
            Error("KGO005", ReservationsFrom, "outside the inventory", only: true)),
        ["reservations-from naming a missing file"] = new(
            i => ReplaceLine(i, Site, FromLine, "    reservations-from: reservations/missing.yaml"),
            Error("KGO005", ReservationsFrom, "does not exist", only: true)),
        ["one reservations folder under two subnets"] = new(
            i => i.Append(Site, "  - id: 2\n    subnet: 10.0.0.0/24\n    pools: [10.0.0.10 - 10.0.0.20]\n    reservations-from: reservations/\n"),
            Error("KGO009", Site, EndLine + 3, 24, "already reads", only: true)),
        ["one file named twice in a subnet's list"] = new(
            i => ReplaceLine(i, Site, FromLine, "    reservations-from: [reservations/lights.yaml, reservations/ble-proxies.yaml, reservations/lights.yaml]"),
            Error("KGO009", Site, FromLine, 82, "reservations/lights.yaml", only: true)),
        ["a folder and a file inside it"] = new(
            i => ReplaceLine(i, Site, FromLine, "    reservations-from: [reservations/, reservations/lights.yaml]"),
            Error("KGO009", Site, FromLine, 40, "reservations-from 'reservations/'", only: true)),

        // ---- Hostile strings, rendered escaped --------------------------------------------------------------
        ["quotes, braces, backslashes and line breaks in a comment"] = new(
            i => i.Append(Lights, "- { hw-address: \"02:00:00:00:00:99\", ip-address: 192.168.1.99, comment: \"\\\"}, \\\"evil\\\": {\\\"x\\\": \\\"y\\\\\\n\\t{{ x }} ${HOME}\" }\n"),
            Renders(result => Assert.Equal("\"}, \"evil\": {\"x\": \"y\\\n\t{{ x }} ${HOME}", RenderedReservation(result, "02:00:00:00:00:99")["user-context"]!["comment"]!.GetValue<string>()))),
        ["unicode in a comment: accents, emoji, right-to-left override, line separator"] = new(
            i => i.Append(Lights, "- { hw-address: \"02:00:00:00:00:99\", ip-address: 192.168.1.99, comment: \"Grüße 🌍 \\u202Eevil \\u2028 end\" }\n"),
            Renders(result => Assert.Equal("Grüße 🌍 \u202Eevil \u2028 end", RenderedReservation(result, "02:00:00:00:00:99")["user-context"]!["comment"]!.GetValue<string>()))),
        ["JSON and template syntax in a subnet comment"] = new(
            i => ReplaceLine(i, Site, 56, "    comment: '\"}]}, {{ this_server.name }} </script> \\'"),
            Renders(result => Assert.Equal("\"}]}, {{ this_server.name }} </script> \\", JsonNode.Parse(result.Servers![0].File(TemplateSet.Dhcp4).Text)!["Dhcp4"]!["subnet4"]![0]!["user-context"]!["comment"]!.GetValue<string>()))),
    };

    public static TheoryData<string> Names() => [.. Rows.Keys];

    [Fact]
    public void The_table_has_at_least_forty_rows() => Assert.True(Rows.Count >= 40, $"{Rows.Count} rows");

    /// <summary>A number the binder cannot hold falls back to the key's default; only a range in the schema turns it into a finding.</summary>
    [Fact]
    public void Every_integer_key_in_the_schema_has_a_range()
    {
        var unbounded = new List<string>();
        void Walk(JsonNode? node, string path)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (obj["type"] is JsonValue type && type.GetValue<string>() == "integer" && (obj["minimum"] is null || obj["maximum"] is null))
                    {
                        unbounded.Add(path);
                    }

                    foreach (var (key, value) in obj)
                    {
                        Walk(value, path + "/" + key);
                    }

                    break;
                case JsonArray array:
                    for (var index = 0; index < array.Count; index++)
                    {
                        Walk(array[index], $"{path}/{index}");
                    }

                    break;
            }
        }

        Walk(JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.Root, "schemas", "inventory.schema.json"))), "#");

        Assert.Empty(unbounded);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Hostile_input_ends_in_a_located_error_or_a_correct_render(string name)
    {
        var row = Rows[name];
        using var inventory = TempInventory.FromExample();
        row.Edit(inventory);

        // WaitAsync throws TimeoutException: a hang fails the row instead of the run.
        var result = await Task.Run(() => RenderPipeline.Default(inventory.Folder).Run(inventory.Folder, null, () => null)).WaitAsync(RowTimeout);
        foreach (var finding in result.Diagnostics.Take(20))
        {
            output.WriteLine(finding.ToString());
        }

        row.Expect(inventory, result);
    }

    // ---- Expectations ----------------------------------------------------------------------------------------

    private static Expectation Error(string code, string file, int line, int column, string? says = null, bool only = false) =>
        Error(code, new SourceLocation(file, line, column), says, only);

    private static Expectation Error(string code, SourceLocation at, string? says = null, bool only = false) =>
        ErrorAt(code, _ => at, says, only);

    /// <param name="only">no other error (a cascade would bury the one that matters).</param>
    private static Expectation ErrorAt(string code, Func<TempInventory, SourceLocation> at, string? says = null, bool only = false) => (inventory, result) =>
    {
        var where = at(inventory);
        var all = string.Join("\n", result.Diagnostics.Take(30));
        Assert.False(result.Succeeded, "rendered, but expected " + code);
        var match = result.Diagnostics.Where(d => d.Code == code && d.Location == where).ToList();
        Assert.True(match.Count == 1, $"expected one {code} at {where}; found:\n{all}");
        if (says is not null)
        {
            Assert.Contains(says, match[0].Message, StringComparison.Ordinal);
        }

        if (only)
        {
            Assert.True(result.Diagnostics.Count(d => d.IsError) == 1, $"expected {code} alone; found:\n{all}");
        }

        Assert.All(result.Diagnostics, d => Assert.False(d.Location.IsNone && d.Code.StartsWith("KGO0", StringComparison.Ordinal), $"{d} is not located"));
    };

    private static Expectation Renders(Action<RenderResult>? check = null) => (_, result) =>
    {
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        check?.Invoke(result);
    };

    /// <summary>Renders the same settings as the unedited example (the provenance differs: the files do).</summary>
    private static Expectation RendersLikeExample() => Renders(result =>
    {
        foreach (var (server, expected) in result.Servers!.Zip(ExampleRender.Value.Servers!))
        {
            foreach (var file in new[] { TemplateSet.Dhcp4, TemplateSet.ControlAgent })
            {
                Assert.Equal(Settings(expected.File(file)), Settings(server.File(file)));
            }
        }
    });

    private static readonly Lazy<RenderResult> ExampleRender = new(() => RenderPipeline.Default(RepositoryLayout.ExampleInventory).Run(RepositoryLayout.ExampleInventory, null, () => null));

    private static string Settings(RenderedFile file)
    {
        var root = JsonNode.Parse(file.Text)!;
        (root["Dhcp4"]?["user-context"] as JsonObject)?.Remove("keagitops");
        (root["Control-agent"]?["user-context"] as JsonObject)?.Remove("keagitops");
        return root.ToJsonString();
    }

    private static JsonNode RenderedReservation(RenderResult result, string mac)
    {
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var reservations = JsonNode.Parse(result.Servers![0].File(TemplateSet.Dhcp4).Text)!["Dhcp4"]!["subnet4"]![0]!["reservations"]!.AsArray();
        return reservations.Single(r => (string?)r!["hw-address"] == mac)!;
    }

    // ---- Edits -----------------------------------------------------------------------------------------------

    private const string ReservationHead = "- hw-address: \"02:00:00:00:00:99\"\n  ip-address: 192.168.1.99\n  option-data:\n";

    /// <summary>Levels of nine aliases, each level standing for nine of the one before: 9^levels values.</summary>
    private static string AliasBomb(int levels)
    {
        var text = new StringBuilder(ReservationHead).Append("    domain-name-servers:\n      - &a0 192.168.1.1\n");
        for (var level = 1; level < levels; level++)
        {
            text.Append($"      - &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 9))}]\n");
        }

        return text.ToString();
    }

    private const string DeepPrefix = "- { hw-address: \"02:00:00:00:00:99\", ip-address: 192.168.1.99, option-data: { x: ";

    private static string DeepReservation(string open, string close, int depth) =>
        DeepPrefix + string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth)) + " } }\n";

    private static string Line(TempInventory inventory, string path, int line) => inventory.Read(path).ReplaceLineEndings("\n").Split('\n')[line - 1];

    private static void ReplaceLine(TempInventory inventory, string path, int line, string text)
    {
        var lines = inventory.Read(path).ReplaceLineEndings("\n").Split('\n');
        lines[line - 1] = text;
        inventory.Write(path, string.Join('\n', lines));
    }

    private static byte[] ReadBytes(TempInventory inventory, string path) => File.ReadAllBytes(Path.Combine(inventory.Folder, path));

    private static void WriteBytes(TempInventory inventory, string path, byte[] bytes) => File.WriteAllBytes(Path.Combine(inventory.Folder, path), bytes);

    private static void Link(TempInventory inventory, string path, string target) => File.CreateSymbolicLink(Path.Combine(inventory.Folder, path), target);

    private static string[] ExampleSiteLines() => File.ReadAllLines(Path.Combine(RepositoryLayout.ExampleInventory, Site));
}
