using System.Text.Json.Nodes;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Kea.Keys;
using KeaGitOps.Tests.RealKea;

namespace KeaGitOps.Tests.Kea;

/// <summary>
/// Real Kea agrees with its key table: a config holding every key of every map of the table (built from
/// the table itself) parses in kea-dhcp4 -t and kea-ctrl-agent -t of that version, and every key another
/// version's table has where this one's lacks it is refused by this version's Kea as an unexpected keyword.
/// (The HA hook reads its parameters without refusing unknown keys, so its table is proven by Kea's own
/// examples and its parser's source instead: KeaKeyTableTests.)
/// </summary>
public sealed class KeaKeyRealKeaTests
{
    public static TheoryData<string> Versions() => [.. KeaInstallation.Versions];

    [Theory]
    [MemberData(nameof(Versions))]
    public void A_config_with_every_key_of_the_table_parses_in_that_version_s_Kea(string version)
    {
        var kea = KeaInstallation.For(version);
        var table = KeaKeyTable.For(KeaVersions.Parse(version)!.Value);

        foreach (var spelling in new[] { Spelling.Hyphen, Spelling.Underscore })
        {
            var dhcp4 = new JsonObject { ["Dhcp4"] = Everything(table, table.Dhcp4, spelling) }.ToJsonString();
            AssertParsed(kea.CheckDhcp4(dhcp4), $"kea-dhcp4 {version}", dhcp4);
            var agent = new JsonObject { ["Control-agent"] = Everything(table, table.ControlAgent, spelling) }.ToJsonString();
            AssertParsed(kea.CheckControlAgent(agent), $"kea-ctrl-agent {version}", agent);
        }
    }

    public static TheoryData<string, string, string, string> KeysOnlyOtherVersionsHave()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var (version, name) in KeaVersions.All)
        {
            var table = KeaKeyTable.For(version);
            var refused = new SortedSet<(string Scope, string Key, string From)>();
            foreach (var (other, otherName) in KeaVersions.All.Where(v => v.Version != version))
            {
                var otherTable = KeaKeyTable.For(other);
                foreach (var scopeName in table.ScopeNames.Where(s => !s.StartsWith("high-availability", StringComparison.Ordinal) && otherTable.ScopeNames.Contains(s)))
                {
                    foreach (var key in otherTable.Scope(scopeName).Keys.Where(k => !table.Scope(scopeName).TryGet(k, out _)))
                    {
                        if (!refused.Any(r => r.Scope == scopeName && r.Key == key))
                        {
                            refused.Add((scopeName, key, otherName));
                        }
                    }
                }
            }

            foreach (var (scope, key, from) in refused)
            {
                data.Add(name, scope, key, from);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KeysOnlyOtherVersionsHave))]
    public void A_key_only_another_version_takes_is_refused_by_this_version_s_Kea(string version, string scope, string key, string takenBy)
    {
        var table = KeaKeyTable.For(KeaVersions.Parse(version)!.Value);
        KeaKeyTable.For(KeaVersions.Parse(takenBy)!.Value).Scope(scope).TryGet(key, out var type);
        var (config, agent) = Placed(table, scope, key, Sample(KeaKeyTable.For(KeaVersions.Parse(takenBy)!.Value), type, Spelling.Hyphen));
        var kea = KeaInstallation.For(version);

        var result = agent ? kea.CheckControlAgent(config) : kea.CheckDhcp4(config);

        Assert.False(result.Passed, $"Kea {version} took '{key}' in {scope}, which its table lacks:\n{config}");
        AssertRefusedAsKeyword(result, key);
    }

    public static TheoryData<string, string> Scopes()
    {
        var data = new TheoryData<string, string>();
        foreach (var (version, name) in KeaVersions.All)
        {
            foreach (var scope in KeaKeyTable.For(version).ScopeNames.Where(s => !s.StartsWith("high-availability", StringComparison.Ordinal)))
            {
                data.Add(name, scope);
            }
        }

        return data;
    }

    /// <summary>
    /// A misspelt key in any map: the table and Kea both refuse it, except where Kea's grammar takes any
    /// key (dhcp-queue-control), where both take it.
    /// </summary>
    [Theory]
    [MemberData(nameof(Scopes))]
    public void A_misspelt_key_in_any_map_is_refused_by_the_table_exactly_when_Kea_refuses_it(string version, string scope)
    {
        var table = KeaKeyTable.For(KeaVersions.Parse(version)!.Value);
        const string key = "kgo-misspelt";
        var problems = KeaKeyChecker.Check(table, table.Scope(scope), Entry($"{key}: 1")).ToList();
        var (config, agent) = Placed(table, scope, key, JsonValue.Create(1));
        var kea = KeaInstallation.For(version);

        var result = agent ? kea.CheckControlAgent(config) : kea.CheckDhcp4(config);

        if (table.Scope(scope).TakesOtherKeys)
        {
            Assert.Empty(problems);
            Assert.DoesNotMatch("syntax error|unexpected keyword", result.Output);
        }
        else
        {
            Assert.True(Assert.Single(problems).UnknownKey);
            AssertRefusedAsKeyword(result, key);
        }
    }

    /// <summary>Keys the grammar lists for a shared map but the lexer never makes keywords in that place (see the table's "not-keywords").</summary>
    [Theory]
    [InlineData("3.0", "lease-database", "readonly")]
    [InlineData("3.0", "hosts-database", "max-row-errors")]
    [InlineData("3.0", "config-database", "readonly")]
    [InlineData("2.2", "lease-database", "readonly")]
    public void A_key_the_lexer_keeps_out_of_a_map_is_refused_by_Kea_as_the_table_says(string version, string scope, string key)
    {
        var table = KeaKeyTable.For(KeaVersions.Parse(version)!.Value);
        Assert.False(table.Scope(scope).TryGet(key, out _));
        var (config, _) = Placed(table, scope, key, JsonValue.Create(true));

        var result = KeaInstallation.For(version).CheckDhcp4(config);

        AssertRefusedAsKeyword(result, key);
    }

    /// <summary>Values of the wrong kind: refused by the table, and by Kea, with a syntax error at the value.</summary>
    [Theory]
    [InlineData("2.2", "Dhcp4", "t1-percent", "1")]
    [InlineData("3.0", "Dhcp4", "t1-percent", "1")]
    [InlineData("3.0", "Dhcp4", "valid-lifetime", "\"3600\"")]
    [InlineData("2.6", "Dhcp4", "authoritative", "\"true\"")]
    [InlineData("3.0", "interfaces-config", "dhcp-socket-type", "\"RAW\"")]
    [InlineData("2.6", "Dhcp4", "ddns-replace-client-name", "true")]
    public void A_value_the_table_refuses_is_refused_by_Kea(string version, string scope, string key, string json)
    {
        var table = KeaKeyTable.For(KeaVersions.Parse(version)!.Value);
        var entry = Entry($"{key}: {json}");
        Assert.NotEmpty(KeaKeyChecker.Check(table, table.Scope(scope), entry));
        var (config, _) = Placed(table, scope, key, JsonNode.Parse(json)!);

        var result = KeaInstallation.For(version).CheckDhcp4(config);

        Assert.False(result.Passed, config);
        Assert.Matches("syntax error|no longer supported", result.Output);
    }

    /// <summary>
    /// And values the table takes where a strict reading might not: Kea's lexer reads dhcp-ddns keywords in
    /// any case, and a quoted "true" as when-present. Kea parses the whole file before it checks anything
    /// else, so no syntax error means Kea took the value (dhcp-ddns then wants enable-updates).
    /// </summary>
    [Theory]
    [InlineData("2.2", "dhcp-ddns", "ncr-protocol", "\"UDP\"")]
    [InlineData("3.0", "dhcp-ddns", "ncr-protocol", "\"Tcp\"")]
    [InlineData("3.0", "Dhcp4", "ddns-replace-client-name", "\"true\"")]
    [InlineData("3.0", "Dhcp4", "t1-percent", "0.5")]
    public void A_value_the_table_takes_is_taken_by_Kea(string version, string scope, string key, string json)
    {
        var table = KeaKeyTable.For(KeaVersions.Parse(version)!.Value);
        Assert.Empty(KeaKeyChecker.Check(table, table.Scope(scope), Entry($"{key}: {json}")));
        var (config, _) = Placed(table, scope, key, JsonNode.Parse(json)!);

        var result = KeaInstallation.For(version).CheckDhcp4(config);

        Assert.DoesNotMatch("syntax error|unexpected keyword", result.Output);
    }

    /// <summary>
    /// Kea refuses a string its lexer does not make a keyword here: "got unexpected keyword" in a map that
    /// ends in unknown_map_entry, or a bare syntax error in the few that do not (relay, 2.2's sanity-checks).
    /// </summary>
    private static void AssertRefusedAsKeyword(KeaCheckResult result, string key) =>
        Assert.Matches($"got unexpected keyword \"{key}\"|syntax error, unexpected constant string", result.Output);

    /// <summary>
    /// The HA hook, loaded by Kea 3.0's kea-dhcp4 -T, takes and refuses relationships as the table says, but
    /// for misspelt keys: the hook reads the keys it knows and ignores the rest without a word (a
    /// sync-timout leaves the sync timeout at its default), which is why keagitops refuses them.
    /// </summary>
    [Theory]
    [InlineData("", true, 0)]
    [InlineData(", \"sync-timeout\": 30000, \"multi-threading\": {\"enable-multi-threading\": false}", true, 0)]
    [InlineData(", \"sync-timeout\": \"30000\"", false, 1)]
    [InlineData(", \"send-lease-updates\": \"yes\"", false, 1)]
    [InlineData(", \"multi-threading\": {\"http-listener-threads\": \"4\"}", false, 1)]
    [InlineData(", \"sync-timout\": 30000", true, 1)]
    [InlineData(", \"multi-threading\": {\"http-listener-thread\": 4}", true, 1)]
    public void The_HA_hook_of_Kea_3_0_agrees_with_the_table_but_ignores_misspelt_keys(string extra, bool keaTakesIt, int tableProblems)
    {
        var relationship = """{"this-server-name": "server1", "mode": "hot-standby", "peers": [{"name": "server1", "url": "http://127.0.0.1:8001/", "role": "primary"}, {"name": "server2", "url": "http://127.0.0.1:8002/", "role": "standby"}]""" + extra + "}";
        var table = KeaKeyTable.For(KeaVersion.V3_0);
        var node = KeaKeyDocuments.Read(relationship, "relationship.json");
        var problems = node.Entries.SelectMany(e => KeaKeyChecker.Check(table, table.HighAvailability, e)).ToList();
        var config = """{"Dhcp4": {"hooks-libraries": [{"library": "libdhcp_lease_cmds.so"}, {"library": "libdhcp_ha.so", "parameters": {"high-availability": [""" + relationship + "]}}]}}";

        var result = KeaInstallation.For("3.0").CheckDhcp4(config, deep: true);

        Assert.Equal(tableProblems, problems.Count);
        Assert.True(keaTakesIt == result.Passed, $"{config}\n{result.Output}");
    }

    private enum Spelling
    {
        Hyphen,
        Underscore,
    }

    /// <summary>
    /// Kea parses the whole file before it gives any value a meaning, and reports a parse-time refusal (a
    /// syntax error, an unexpected keyword, a duplicate, a value its grammar's action refuses) at
    /// file:line.column; a later complaint about the sample values ("Error encountered: option 'x.x' ...
    /// (file:line:column)") proves that the whole file parsed.
    /// </summary>
    private static void AssertParsed(KeaCheckResult result, string what, string config)
    {
        var refusal = System.Text.RegularExpressions.Regex.Match(result.Output, @"failed with: (?<file>\S+):1\.(?<column>\d+)[^\n]*");
        if (refusal.Success)
        {
            var column = int.Parse(refusal.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Fail($"{what} refused the table's keys at column {column}: {refusal.Value}\n...{config[Math.Max(0, column - 300)..Math.Min(config.Length, column + 100)]}...");
        }

        Assert.DoesNotMatch("syntax error|unexpected keyword|Failed to convert", result.Output);
        Assert.True(result.Passed || result.Output.Contains("Error encountered:", StringComparison.Ordinal), $"{what}: {result.Output[Math.Max(0, result.Output.Length - 600)..]}");
    }

    /// <summary>
    /// A map holding every key of <paramref name="scope"/> with a sample value, nested maps filled the same
    /// way. Where Kea spells one key two ways (output_options, output-options) only one spelling is used:
    /// both would be the same key twice.
    /// </summary>
    private static JsonObject Everything(KeaKeyTable table, KeaKeyScope scope, Spelling spelling)
    {
        var map = new JsonObject();
        foreach (var key in scope.Keys)
        {
            var twin = key.Contains('_', StringComparison.Ordinal) ? key.Replace('_', '-') : key.Replace('-', '_');
            if (twin != key && scope.Keys.Contains(twin) && key.Contains('_', StringComparison.Ordinal) == (spelling == Spelling.Hyphen))
            {
                continue;
            }

            scope.TryGet(key, out var type);
            if (type.Excludes.Any(map.ContainsKey) || (scope.TakesOneKey && map.Count > 0))
            {
                continue;
            }

            map[key] = Sample(table, type, spelling);
        }

        return map;
    }

    private static JsonNode Sample(KeaKeyTable table, KeaKeyType type, Spelling spelling) => type.Kind switch
    {
        KeaValueKind.Integer => JsonValue.Create(1),
        KeaValueKind.Real => JsonValue.Create(0.5),
        KeaValueKind.Boolean => JsonValue.Create(true),
        KeaValueKind.String => JsonValue.Create(type.Values.Concat(type.ValuesInAnyCase).FirstOrDefault() ?? "x"),
        KeaValueKind.StringList => new JsonArray(JsonValue.Create(type.Values.Concat(type.ValuesInAnyCase).FirstOrDefault() ?? "x")),
        KeaValueKind.Map => Everything(table, table.Scope(type.ElementScope!), spelling),
        KeaValueKind.MapList => new JsonArray(Everything(table, table.Scope(type.ElementScope!), spelling)),
        _ => new JsonObject(),
    };

    /// <summary>
    /// The smallest config that puts <paramref name="key"/> in a map of <paramref name="scope"/>: the path
    /// to that map from Dhcp4 or Control-agent (found in the table), with nothing else on the way.
    /// </summary>
    private static (string Config, bool Agent) Placed(KeaKeyTable table, string scope, string key, JsonNode value)
    {
        foreach (var (root, name) in new[] { (table.Dhcp4, "Dhcp4"), (table.ControlAgent, "Control-agent") })
        {
            if (PathTo(table, root, scope, []) is { } path)
            {
                var inner = new JsonObject { [key] = value };
                JsonNode node = inner;
                for (var i = path.Count - 1; i >= 0; i--)
                {
                    var (step, list) = path[i];
                    node = new JsonObject { [step] = list ? new JsonArray(node) : node };
                }

                return (new JsonObject { [name] = node }.ToJsonString(), name != "Dhcp4");
            }
        }

        throw new InvalidOperationException($"no path to {scope} in the Kea {table.Version.Name()} table");
    }

    private static List<(string Key, bool List)>? PathTo(KeaKeyTable table, KeaKeyScope from, string scope, HashSet<string> seen)
    {
        if (from.Name == scope)
        {
            return [];
        }

        if (!seen.Add(from.Name))
        {
            return null;
        }

        foreach (var key in from.Keys)
        {
            from.TryGet(key, out var type);
            if (type.ElementScope is { } element && PathTo(table, table.Scope(element), scope, seen) is { } rest)
            {
                return [(key, type.Kind == KeaValueKind.MapList), .. rest];
            }
        }

        return null;
    }

    private static MappingEntry Entry(string yaml)
    {
        var diagnostics = new Core.Diagnostics.DiagnosticBag();
        var node = Assert.IsType<MappingNode>(YamlReader.Read(yaml, "case.yaml", diagnostics));
        return Assert.Single(node.Entries);
    }
}
