using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Kea.Keys;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Kea;

/// <summary>
/// Kea's key table (scripts/kea-keys/derive.py over Kea's grammar at each release tag) and its checker:
/// Kea's own examples pass untouched, and an unknown key or a wrong value is refused where it is written.
/// </summary>
public sealed class KeaKeyTableTests
{
    public static TheoryData<string, string> KeaExamples()
    {
        var data = new TheoryData<string, string>();
        foreach (var (_, name) in KeaVersions.All)
        {
            foreach (var file in Directory.GetFiles(RepositoryLayout.Fixture(Path.Combine("kea-keys", name)), "*.json").Order(StringComparer.Ordinal))
            {
                data.Add(name, Path.GetFileName(file));
            }
        }

        return data;
    }

    /// <summary>
    /// Keys in Kea's own examples that Kea reads nowhere, so keagitops refuses them: the HA hook reads
    /// require-client-certs on the relationship only (ha_config_parser.cc), and ignores the peers' copies
    /// in this example without a word.
    /// </summary>
    private static readonly Dictionary<(string Version, string File), string[]> KeysKeaIgnores = new()
    {
        [("2.6", "kea4-ha-load-balancing-server1-mt-with-tls.json")] = ["173:29 require-client-certs", "194:29 require-client-certs"],
        [("3.0", "kea4-ha-load-balancing-server1-mt-with-tls.json")] = ["173:29 require-client-certs", "194:29 require-client-certs"],
    };

    [Theory]
    [MemberData(nameof(KeaExamples))]
    public void Kea_s_own_examples_pass_the_checker_of_their_version_but_for_keys_Kea_ignores(string version, string file)
    {
        var table = KeaKeyTable.For(KeaVersions.Parse(version)!.Value);
        var path = RepositoryLayout.Fixture(Path.Combine("kea-keys", version, file));
        var config = KeaKeyDocuments.Read(File.ReadAllText(path), path);

        var problems = KeaKeyDocuments.CheckConfig(table, config);

        var expected = KeysKeaIgnores.GetValueOrDefault((version, file), []);
        Assert.True(problems.Count == expected.Length, string.Join("\n", problems.Select(p => $"{p.At.Location}: {p.Message}")));
        Assert.Equal(expected, problems.Select(p => $"{p.At.Location.Line}:{p.At.Location.Column} {((ScalarNode)p.At).Value}"));
        Assert.All(problems, p => Assert.True(p.UnknownKey));
    }

    [Fact]
    public void The_examples_exercise_the_HA_relationship_table_of_every_version()
    {
        foreach (var (_, name) in KeaVersions.All)
        {
            var relationships = Directory.GetFiles(RepositoryLayout.Fixture(Path.Combine("kea-keys", name)), "kea4-*.json")
                .SelectMany(file => KeaKeyDocuments.HaRelationships(KeaKeyDocuments.Read(File.ReadAllText(file), file).Find("Dhcp4")!.Value))
                .ToList();
            Assert.True(relationships.Count > 0, $"no HA relationship in Kea {name}'s examples");
        }
    }

    [Theory]
    [InlineData("2.2", "Kea-2.2.0")]
    [InlineData("2.6", "Kea-2.6.3")]
    [InlineData("3.0", "Kea-3.0.4")]
    public void Each_version_loads_its_own_table_and_names_its_source(string version, string tag)
    {
        var table = KeaKeyTable.For(KeaVersions.Parse(version)!.Value);

        Assert.StartsWith($"isc-projects/kea {tag}: src/bin/dhcp4/dhcp4_parser.yy", table.Source, StringComparison.Ordinal);
        Assert.Same(table, KeaKeyTable.For(KeaVersions.Parse(version)!.Value));
        Assert.Contains("subnet4", table.Dhcp4.Keys);
        Assert.Contains("http-port", table.ControlAgent.Keys);
        Assert.Contains("sync-timeout", table.HighAvailability.Keys);
        Assert.Equal([.. table.Dhcp4.Keys.Order(StringComparer.Ordinal)], table.Dhcp4.Keys);
        foreach (var scope in table.ScopeNames.Select(table.Scope))
        {
            var problems = KeaKeyChecker.Check(table, scope, Entry("no-such-key-anywhere: 1")).ToList();
            if (scope.TakesOtherKeys)
            {
                Assert.Equal("dhcp-queue-control", scope.Name);
                Assert.Empty(problems);
            }
            else
            {
                Assert.Contains("Kea " + version, Assert.Single(problems).Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Versions_differ_where_Kea_s_grammar_differs()
    {
        var v22 = KeaKeyTable.For(KeaVersion.V2_2);
        var v26 = KeaKeyTable.For(KeaVersion.V2_6);
        var v30 = KeaKeyTable.For(KeaVersion.V3_0);

        Assert.Contains("reservation-mode", v22.Dhcp4.Keys);
        Assert.DoesNotContain("reservation-mode", v26.Dhcp4.Keys);
        Assert.Contains("output_options", v22.Scope("loggers").Keys);
        Assert.DoesNotContain("output-options", v22.Scope("loggers").Keys);
        Assert.Contains("output-options", v26.Scope("loggers").Keys);
        Assert.DoesNotContain("client-classes", v26.Scope("pools").Keys);
        Assert.Contains("client-classes", v30.Scope("pools").Keys);
        Assert.True(v30.Scope("pools").TryGet("client-classes", out var classes));
        Assert.Equal(KeaValueKind.StringList, classes.Kind);
        Assert.True(v30.Dhcp4.TryGet("client-classes", out var definitions));
        Assert.Equal(new KeaKeyType(KeaValueKind.MapList, "client-classes"), definitions);
        Assert.True(v26.Scope("interfaces-config").TryGet("dhcp-socket-type", out var socketType));
        Assert.Equal(new KeaKeyType(KeaValueKind.String, null) { Values = ["raw", "udp"] }, socketType);
        Assert.NotEqual(new KeaKeyType(KeaValueKind.String, null), socketType);
    }

    [Fact]
    public void Scope_refuses_an_unknown_name_and_lists_the_names_it_has()
    {
        var error = Assert.Throws<ArgumentException>(() => KeaKeyTable.For(KeaVersion.V3_0).Scope("subnet"));
        Assert.Contains("subnet4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_is_refused_at_the_key_with_a_suggestion_and_the_sorted_list_of_keys()
    {
        var table = KeaKeyTable.For(KeaVersion.V3_0);

        var problem = Assert.Single(KeaKeyChecker.Check(table, table.HighAvailability, Entry("sync-timout: 30000")));

        Assert.True(problem.UnknownKey);
        Assert.Equal((1, 1), (problem.At.Location.Line, problem.At.Location.Column));
        Assert.StartsWith("'sync-timout' is not a key Kea 3.0 takes in a high-availability relationship (did you mean 'sync-timeout'?); it takes: cert-file, comment, delayed-updates-limit, ", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith(", user-context, wait-backup-ack", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem.Message);
    }

    [Theory]
    [InlineData("2.6", "pools", "client-classes: [a]", "'client-classes' is not a key Kea 2.6 takes in pools (Kea 3.0 takes it; did you mean 'client-class'?); it takes: ")]
    [InlineData("2.2", "pools", "pool-id: 7", "'pool-id' is not a key Kea 2.2 takes in pools (Kea 2.6 and 3.0 take it); it takes: ")]
    [InlineData("3.0", "subnet4", "reservation-mode: all", "'reservation-mode' is not a key Kea 3.0 takes in subnet4 (Kea 2.2 takes it); it takes: ")]
    public void A_key_of_another_version_says_which_versions_take_it(string version, string scope, string yaml, string expected)
    {
        var table = KeaKeyTable.For(KeaVersions.Parse(version)!.Value);

        var problem = Assert.Single(KeaKeyChecker.Check(table, table.Scope(scope), Entry(yaml)));

        Assert.StartsWith(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_with_nothing_close_gets_no_suggestion()
    {
        var table = KeaKeyTable.For(KeaVersion.V3_0);

        var problem = Assert.Single(KeaKeyChecker.Check(table, table.Dhcp4, Entry("frobnicate: true")));

        Assert.DoesNotContain("did you mean", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_type_is_refused_at_the_value_s_line_and_column()
    {
        var table = KeaKeyTable.For(KeaVersion.V3_0);

        var problem = Assert.Single(KeaKeyChecker.Check(table, table.Dhcp4, Entry("valid-lifetime:   \"3600\"")));

        Assert.False(problem.UnknownKey);
        Assert.Equal((1, 19), (problem.At.Location.Line, problem.At.Location.Column));
        Assert.Equal("'valid-lifetime' must be an integer for Kea 3.0, not a string", problem.Message);
    }

    [Theory]
    [InlineData("t1-percent: 0.5", null)]
    [InlineData("t1-percent: 1", "'t1-percent' must be a number with a decimal point for Kea 2.6, not an integer (Kea reads 1 as an integer here: write 1.0)")]
    [InlineData("authoritative: yes", "'authoritative' must be a boolean for Kea 2.6, not a string")]
    [InlineData("server-tag: 12", "'server-tag' must be a string for Kea 2.6, not an integer")]
    [InlineData("valid-lifetime:", "'valid-lifetime' must be an integer for Kea 2.6, not null")]
    [InlineData("valid-lifetime: 99999999999999999999", "'valid-lifetime' is out of range for Kea 2.6: it reads integers of 64 bits at most, not 99999999999999999999")]
    [InlineData("user-context: [1]", "'user-context' must be a mapping for Kea 2.6, not a list")]
    [InlineData("user-context: {any: [thing, 1]}", null)]
    [InlineData("subnet4: {id: 1}", "'subnet4' must be a list of mappings for Kea 2.6, not a mapping")]
    [InlineData("host-reservation-identifiers: [hw-address, mac]", "each entry of 'host-reservation-identifiers' must be one of 'circuit-id', 'client-id', 'duid', 'flex-id', 'hw-address' for Kea 2.6, not 'mac'")]
    [InlineData("ddns-replace-client-name: always", null)]
    [InlineData("ddns-replace-client-name: Never", null)]
    [InlineData("ddns-replace-client-name: sometimes", "'ddns-replace-client-name' must be one of 'always', 'false', 'never', 'true', 'when-not-present', 'when-present' (in any case) for Kea 2.6, not 'sometimes'")]
    [InlineData("ddns-replace-client-name: true", "'ddns-replace-client-name' cannot be a boolean for Kea 2.6, which says: \"boolean values for the ddns-replace-client-name are no longer supported\"; it takes one of 'always', 'false', 'never', 'true', 'when-not-present', 'when-present' (in any case)")]
    [InlineData("ddns-replace-client-name: \"true\"", null)]
    [InlineData("interfaces-config: {dhcp-socket-type: RAW}", "'dhcp-socket-type' must be one of 'raw', 'udp' for Kea 2.6, not 'RAW'")]
    [InlineData("dhcp-ddns: {ncr-protocol: UDP}", null)]
    [InlineData("interfaces-config: {interfaces: [eth0, 7]}", "each entry of 'interfaces' must be a string for Kea 2.6, not an integer")]
    public void Values_are_checked_against_the_kind_Kea_s_grammar_takes(string yaml, string? expected)
    {
        var table = KeaKeyTable.For(KeaVersion.V2_6);

        var problems = KeaKeyChecker.Check(table, table.Dhcp4, Entry(yaml)).ToList();

        if (expected is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Equal(expected, Assert.Single(problems).Message);
        }
    }

    [Fact]
    public void A_typo_inside_multi_threading_is_found_in_its_own_scope()
    {
        var table = KeaKeyTable.For(KeaVersion.V3_0);

        var problem = Assert.Single(KeaKeyChecker.Check(table, table.Dhcp4, Entry("multi-threading:\n  enable-multi-threading: true\n  thread-pool-sise: 4\n")));

        Assert.Equal((3, 3), (problem.At.Location.Line, problem.At.Location.Column));
        Assert.StartsWith("'thread-pool-sise' is not a key Kea 3.0 takes in multi-threading (did you mean 'thread-pool-size'?); it takes: comment, enable-multi-threading, packet-queue-size, thread-pool-size, user-context", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_in_several_entries_of_a_client_classes_list_are_each_located()
    {
        var table = KeaKeyTable.For(KeaVersion.V3_0);
        const string yaml = """
            client-classes:
              - name: voip
                test: "substring(option[60].hex,0,6) == 'Aastra'"
                next-server: 192.0.2.1
              - name: pxe
                tset: "option[93].hex == 0x0007"
                valid-lifetime: long
            """;

        var problems = KeaKeyChecker.Check(table, table.Dhcp4, Entry(yaml)).ToList();

        Assert.Equal(2, problems.Count);
        Assert.Equal((6, 5), (problems[0].At.Location.Line, problems[0].At.Location.Column));
        Assert.StartsWith("'tset' is not a key Kea 3.0 takes in client-classes (did you mean 'test'?)", problems[0].Message, StringComparison.Ordinal);
        Assert.Equal((7, 21), (problems[1].At.Location.Line, problems[1].At.Location.Column));
        Assert.Equal("'valid-lifetime' must be an integer for Kea 3.0, not a string", problems[1].Message);
    }

    [Fact]
    public void A_typo_inside_the_HA_multi_threading_map_and_a_peer_is_found()
    {
        var table = KeaKeyTable.For(KeaVersion.V2_2);
        const string yaml = """
            multi-threading:
              enable-multi-threading: true
              http-listener-thread: 4
            """;

        var problem = Assert.Single(KeaKeyChecker.Check(table, table.HighAvailability, Entry(yaml)));
        Assert.Equal((3, 3), (problem.At.Location.Line, problem.At.Location.Column));
        Assert.StartsWith("'http-listener-thread' is not a key Kea 2.2 takes in the multi-threading of a high-availability relationship (did you mean 'http-listener-threads'?)", problem.Message, StringComparison.Ordinal);

        var peer = Assert.Single(KeaKeyChecker.Check(table, table.HighAvailability, Entry("peers:\n  - name: a\n    auto-failover: \"yes\"\n")));
        Assert.Equal("'auto-failover' must be a boolean for Kea 2.2, not a string", peer.Message);
    }

    [Fact]
    public void An_underscore_spelling_suggests_the_hyphenated_key_of_the_version()
    {
        var v26 = KeaKeyTable.For(KeaVersion.V2_6);
        Assert.Equal("output-options", v26.Scope("loggers").Suggest("output_option"));
        Assert.Equal("valid-lifetime", v26.Dhcp4.Suggest("valid_lifetime"));
        Assert.Equal("valid-lifetime", v26.Dhcp4.Suggest("vaild-lifetime"));
        Assert.Null(v26.Dhcp4.Suggest("x"));
    }

    [Fact]
    public void Two_spellings_of_one_setting_in_one_map_are_refused_at_the_second()
    {
        var table = KeaKeyTable.For(KeaVersion.V3_0);
        const string yaml = """
            control-sockets:
              - socket-type: http
                socket-address: 127.0.0.1
                socket-name: other
            """;

        var problem = Assert.Single(KeaKeyChecker.Check(table, table.Dhcp4, Entry(yaml)));

        Assert.Equal((4, 5), (problem.At.Location.Line, problem.At.Location.Column));
        Assert.Equal("'socket-name' cannot be in control-socket beside 'socket-address' (line 3) for Kea 3.0: Kea takes one of them only", problem.Message);
    }

    [Fact]
    public void A_relay_holds_one_key_only_as_Kea_s_grammar_says()
    {
        var table = KeaKeyTable.For(KeaVersion.V2_2);
        Assert.True(table.Scope("relay").TakesOneKey);
        Assert.False(table.Scope("subnet4").TakesOneKey);

        var problem = Assert.Single(KeaKeyChecker.Check(table, table.Scope("subnet4"), Entry("relay: {ip-address: 192.0.2.1, ip-addresses: [192.0.2.2]}")));

        Assert.StartsWith("'ip-addresses' cannot be in relay beside 'ip-address' (line 1) for Kea 2.2: Kea takes one key only there", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckMap_checks_every_entry_of_a_whole_map()
    {
        var table = KeaKeyTable.For(KeaVersion.V3_0);
        var diagnostics = new Core.Diagnostics.DiagnosticBag();
        var map = Assert.IsType<MappingNode>(YamlReader.Read("socket-type: unix\nsocket-name: a\nsocket-address: b\nsocket-prot: 1\n", "case.yaml", diagnostics));

        var problems = KeaKeyChecker.CheckMap(table, table.Scope("control-socket"), map).ToList();

        Assert.Equal([(3, false), (4, true)], problems.Select(p => (p.At.Location.Line, p.UnknownKey)));
        Assert.Contains("did you mean 'socket-port'?", problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanity_check_values_are_the_ones_Kea_s_grammar_action_takes()
    {
        var table = KeaKeyTable.For(KeaVersion.V2_2);

        var problem = Assert.Single(KeaKeyChecker.Check(table, table.Dhcp4, Entry("sanity-checks: {lease-checks: repair}")));

        Assert.Equal("'lease-checks' must be one of 'del', 'fix', 'fix-del', 'none', 'warn' for Kea 2.2, not 'repair'", problem.Message);
    }

    private static MappingEntry Entry(string yaml)
    {
        var diagnostics = new Core.Diagnostics.DiagnosticBag();
        var node = Assert.IsType<MappingNode>(YamlReader.Read(yaml, "case.yaml", diagnostics));
        Assert.Empty(diagnostics.Items);
        return Assert.Single(node.Entries);
    }
}
