using System.Text.Json;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Options;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Rendering;

public sealed class RenderingTests
{
    private static IReadOnlyList<RenderedServer> Render(string inventory, string? templates = null, SourceRevision? revision = null)
    {
        var result = RenderPipeline.Default(inventory).Run(inventory, templates, () => revision);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Servers!;
    }

    private static JsonElement Json(RenderedServer server, string file = TemplateSet.Dhcp4) =>
        JsonDocument.Parse(server.File(file).Text).RootElement;

    /// <summary>
    /// The pair's differences, leaving out each file's own digest in its provenance (a digest of that
    /// server's config, so it differs whenever anything does).
    /// </summary>
    private static List<JsonChange> PairDifferences(IReadOnlyList<RenderedServer> servers, string file = TemplateSet.Dhcp4) =>
        JsonDiff.Compare(Json(servers[0], file), Json(servers[1], file)).Where(c => !c.Path.EndsWith(".user-context.keagitops.config-digest", StringComparison.Ordinal)).ToList();

    private static JsonElement Ha(JsonElement root) =>
        root.GetProperty("Dhcp4").GetProperty("hooks-libraries")[1].GetProperty("parameters").GetProperty("high-availability")[0];

    [Fact]
    public void Example_configs_differ_only_in_this_server_name()
    {
        var servers = Render(RepositoryLayout.ExampleInventory);

        var changes = PairDifferences(servers);

        var change = Assert.Single(changes);
        Assert.Equal("Dhcp4.hooks-libraries[1].parameters.high-availability[0].this-server-name", change.Path);
        Assert.Equal(("\"kea-dhcp-1\"", "\"kea-dhcp-2\""), (change.Before, change.After));
        Assert.Empty(PairDifferences(servers, TemplateSet.ControlAgent));
    }

    [Fact]
    public void Each_server_names_itself_and_its_own_peer_url_carries_its_own_address()
    {
        var servers = Render(RepositoryLayout.ExampleInventory);

        foreach (var (server, address) in servers.Zip(["192.168.1.133", "192.168.1.134"]))
        {
            var ha = Ha(Json(server));
            Assert.Equal(server.Name, ha.GetProperty("this-server-name").GetString());
            var own = ha.GetProperty("peers").EnumerateArray().Single(p => p.GetProperty("name").GetString() == server.Name);
            Assert.Equal($"http://{address}:8000/", own.GetProperty("url").GetString());
        }
    }

    [Fact]
    public void Rendering_twice_gives_byte_identical_output_with_two_space_indent_and_a_trailing_newline()
    {
        var first = Render(RepositoryLayout.ExampleInventory);
        var second = Render(RepositoryLayout.ExampleInventory);

        foreach (var (a, b) in first.SelectMany(s => s.Files).Zip(second.SelectMany(s => s.Files)))
        {
            Assert.Equal(a.Text, b.Text);
            Assert.EndsWith("}\n", a.Text, StringComparison.Ordinal);
            Assert.StartsWith("{\n  \"", a.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_balancing_splits_the_pool_into_halves_scoped_to_each_server_in_both_configs()
    {
        foreach (var server in Render(RepositoryLayout.ExampleInventory))
        {
            var pools = Json(server).GetProperty("Dhcp4").GetProperty("subnet4")[0].GetProperty("pools").EnumerateArray()
                .Select(p => (p.GetProperty("pool").GetString(), p.GetProperty("client-classes")[0].GetString()))
                .ToList();
            Assert.Equal(
                [
                    ("192.168.1.10 - 192.168.1.28", "HA_kea-dhcp-1"), ("192.168.1.29 - 192.168.1.46", "HA_kea-dhcp-2"),
                    ("192.168.1.48 - 192.168.1.90", "HA_kea-dhcp-1"), ("192.168.1.91 - 192.168.1.132", "HA_kea-dhcp-2"),
                    ("192.168.1.135 - 192.168.1.179", "HA_kea-dhcp-1"), ("192.168.1.180 - 192.168.1.223", "HA_kea-dhcp-2"),
                    ("192.168.1.225 - 192.168.1.237", "HA_kea-dhcp-1"), ("192.168.1.238 - 192.168.1.250", "HA_kea-dhcp-2"),
                ],
                pools);
        }
    }

    [Fact]
    public void Hot_standby_keeps_pools_whole_and_lets_only_interfaces_and_identity_differ()
    {
        var servers = Render(RepositoryLayout.Fixture("render/hot-standby"));

        var dhcp4 = Json(servers[0]).GetProperty("Dhcp4");
        var pools = dhcp4.GetProperty("subnet4")[0].GetProperty("pools");
        Assert.Equal(["172.16.0.64 - 172.16.0.127", "172.16.0.200 - 172.16.0.219"], pools.EnumerateArray().Select(p => p.GetProperty("pool").GetString()));
        // Kea 2.2's pool takes one class: the pool restricted to phones or printers gets one class combining them, defined after them.
        Assert.Equal("phones|printers", pools[1].GetProperty("client-class").GetString());
        var classes = dhcp4.GetProperty("client-classes").EnumerateArray().ToList();
        Assert.Equal(["phones", "printers", "phones|printers"], classes.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("(member('phones') or member('printers'))", classes[2].GetProperty("test").GetString());
        var paths = PairDifferences(servers).Select(c => c.Path).ToList();
        Assert.All(paths, p => Assert.True(p.StartsWith("Dhcp4.interfaces-config.interfaces", StringComparison.Ordinal) || p.EndsWith(".this-server-name", StringComparison.Ordinal), p));
        Assert.Contains(paths, p => p.StartsWith("Dhcp4.interfaces-config", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("3.0")]
    [InlineData("2.2")]
    public void A_class_restricted_pool_is_split_with_a_class_combining_its_classes_and_each_servers_scope(string version)
    {
        using var copy = TempInventory.FromFolder(RepositoryLayout.Fixture("render/kea-keys"), version);
        var servers = Render(copy.Folder);

        var dhcp4 = Json(servers[0]).GetProperty("Dhcp4");
        var pools = dhcp4.GetProperty("subnet4")[0].GetProperty("pools").EnumerateArray().ToList();
        var guard = version == "3.0" ? (Func<JsonElement, string?>)(p => p.GetProperty("client-classes").EnumerateArray().Single().GetString()) : p => p.GetProperty("client-class").GetString();
        Assert.Equal(
            ["10.20.0.100 - 10.20.0.149", "10.20.0.150 - 10.20.0.199", "10.20.0.200 - 10.20.0.209", "10.20.0.210 - 10.20.0.219", "10.20.0.220 - 10.20.0.229", "10.20.0.230 - 10.20.0.239"],
            pools.Select(p => p.GetProperty("pool").GetString()));
        Assert.Equal(["HA_kea-a", "HA_kea-b", "phones+HA_kea-a", "phones+HA_kea-b", "phones|printers+HA_kea-a", "phones|printers+HA_kea-b"], pools.Select(guard));
        // Both halves keep the pool's own settings.
        Assert.All(pools[2..4], p => Assert.Equal("pbx.example", p.GetProperty("option-data")[0].GetProperty("data").GetString()));
        Assert.All(pools[2..4], p => Assert.Equal(2, p.GetProperty("user-context").GetProperty("rack").GetInt32()));
        // The combined classes come after the inventory's own, which their tests name.
        var classes = dhcp4.GetProperty("client-classes").EnumerateArray().ToList();
        Assert.Equal(["phones", "printers", "kiosk", "phones+HA_kea-a", "phones+HA_kea-b", "phones|printers+HA_kea-a", "phones|printers+HA_kea-b"], classes.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("member('phones') and member('HA_kea-a')", classes[3].GetProperty("test").GetString());
        Assert.Equal("(member('phones') or member('printers')) and member('HA_kea-b')", classes[6].GetProperty("test").GetString());
        Assert.Equal("HA_kea-b", classes[6].GetProperty("user-context").GetProperty("keagitops").GetProperty("scope").GetString());
        // The pair's configs still differ only in identity.
        Assert.All(PairDifferences(servers).Select(c => c.Path), p => Assert.EndsWith(".this-server-name", p, StringComparison.Ordinal));
    }

    [Fact]
    public void Kea_22_gets_full_hook_paths_and_its_own_key_names()
    {
        using var copy = TempInventory.FromFolder(RepositoryLayout.ExampleInventory, "2.2");
        var text = Render(copy.Folder)[0].File(TemplateSet.Dhcp4).Text;

        Assert.Contains("\"library\": \"/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_ha.so\"", text, StringComparison.Ordinal);
        Assert.Contains("\"client-class\": \"HA_kea-dhcp-1\"", text, StringComparison.Ordinal);
        Assert.Contains("\"output_options\"", text, StringComparison.Ordinal);
        Assert.Contains("\"socket-name\": \"/run/kea/kea4-ctrl-socket\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("client-classes", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Kea_26_gets_bare_names_and_output_options_but_a_pools_single_client_class()
    {
        using var copy = TempInventory.FromFolder(RepositoryLayout.ExampleInventory, "2.6");
        var server = Render(copy.Folder)[0];
        var text = server.File(TemplateSet.Dhcp4).Text;

        Assert.Contains("\"library\": \"libdhcp_ha.so\"", text, StringComparison.Ordinal);
        Assert.Contains("\"socket-name\": \"kea4-ctrl-socket\"", text, StringComparison.Ordinal);
        Assert.Contains("\"output-options\"", text, StringComparison.Ordinal);
        Assert.Contains("\"client-class\": \"HA_kea-dhcp-1\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("client-classes", text, StringComparison.Ordinal);
        Assert.Contains("\"output-options\"", server.File(TemplateSet.ControlAgent).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3.0", null, true)]
    [InlineData("3.0", "true", true)]
    [InlineData("3.0", "false", false)]
    [InlineData("2.6", null, false)]
    [InlineData("2.2", "true", false)]
    [InlineData("3.0", "runtime-reservations: false", false)]
    [InlineData("3.0", "runtime-changes: true\n  runtime-reservations: false", true)]
    public void Host_cmds_and_subnet_cmds_are_loaded_where_the_version_ships_them_unless_runtime_changes_is_off(string version, string? runtimeChanges, bool loaded)
    {
        using var copy = TempInventory.FromFolder(RepositoryLayout.ExampleInventory, version);
        if (runtimeChanges is not null)
        {
            copy.Append("site.yaml", $"\ndeploy:\n  {(runtimeChanges.Contains(':', StringComparison.Ordinal) ? runtimeChanges : $"runtime-changes: {runtimeChanges}")}\n");
        }

        var servers = Render(copy.Folder);

        Assert.All(servers, server => Assert.Equal(loaded, server.File(TemplateSet.Dhcp4).Text.Contains("libdhcp_host_cmds.so", StringComparison.Ordinal)));
        Assert.All(servers, server => Assert.Equal(loaded, server.File(TemplateSet.Dhcp4).Text.Contains("libdhcp_subnet_cmds.so", StringComparison.Ordinal)));
    }

    [Fact]
    public void Kea_30_gets_bare_names_that_resolve_inside_its_restricted_directories()
    {
        var text = Render(RepositoryLayout.ExampleInventory)[0].File(TemplateSet.Dhcp4).Text;

        Assert.Contains("\"library\": \"libdhcp_ha.so\"", text, StringComparison.Ordinal);
        Assert.Contains("\"socket-name\": \"kea4-ctrl-socket\"", text, StringComparison.Ordinal);
        Assert.Contains("\"output-options\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"name\": \"/", text, StringComparison.Ordinal); // no lease or log file path
    }

    [Fact]
    public void Hostile_strings_stay_inside_their_values()
    {
        var servers = Render(RepositoryLayout.Fixture("render/hostile-strings"));
        var dhcp4 = Json(servers[0]).GetProperty("Dhcp4");

        var subnet = Assert.Single(dhcp4.GetProperty("subnet4").EnumerateArray());
        Assert.Equal("line one\nline two \"}]}, {\"subnet\": \"6.6.6.0/24\" \\ café 中文 😀", subnet.GetProperty("user-context").GetProperty("comment").GetString());
        var reservation = Assert.Single(subnet.GetProperty("reservations").EnumerateArray());
        Assert.Equal("\"},{\"ip-address\":\"10.0.0.11\"}", reservation.GetProperty("user-context").GetProperty("comment").GetString());
        Assert.Equal("10.0.0.10", reservation.GetProperty("ip-address").GetString());
        var bootFile = dhcp4.GetProperty("option-data").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "boot-file-name");
        // Escaped for Kea's csv tokenizer (OptionCsv), which reads it back as the one value the inventory holds.
        Assert.Equal("x\"\\, \"injected\": {\"evil\": true}\\, \"y\": \"\\\\\\\\", bootFile.GetProperty("data").GetString());
        Assert.Equal(["x\", \"injected\": {\"evil\": true}, \"y\": \"\\\\"], OptionCsv.Split(bootFile.GetProperty("data").GetString()!));
        Assert.DoesNotContain("\"injected\":", servers[0].File(TemplateSet.Dhcp4).Text.Replace("\\\"injected\\\":", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        // Kea reads \u escapes only up to \u00FF: non-ASCII must be written as raw UTF-8.
        Assert.Contains("café 中文 😀", servers[0].File(TemplateSet.Dhcp4).Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", servers[0].File(TemplateSet.Dhcp4).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Provenance_carries_generator_inventory_digest_and_the_source_commit()
    {
        var withoutGit = Json(Render(RepositoryLayout.ExampleInventory)[0]).GetProperty("Dhcp4").GetProperty("user-context").GetProperty("keagitops");
        var withGit = Json(Render(RepositoryLayout.ExampleInventory, revision: new SourceRevision("0123abcd", Dirty: true))[0])
            .GetProperty("Dhcp4").GetProperty("user-context").GetProperty("keagitops");

        Assert.StartsWith("keagitops ", withoutGit.GetProperty("generator").GetString(), StringComparison.Ordinal);
        Assert.Matches("^sha256:[0-9a-f]{64}$", withoutGit.GetProperty("inventory-digest").GetString());
        Assert.False(withoutGit.TryGetProperty("source-commit", out _));
        Assert.Equal("0123abcd", withGit.GetProperty("source-commit").GetString());
        Assert.True(withGit.GetProperty("source-dirty").GetBoolean());
    }

    [Fact]
    public void The_inventory_digest_changes_when_any_inventory_file_changes()
    {
        using var copy = TempInventory.FromFolder(RepositoryLayout.ExampleInventory);
        string Digest() => Json(Render(copy.Folder)[0]).GetProperty("Dhcp4").GetProperty("user-context").GetProperty("keagitops").GetProperty("inventory-digest").GetString()!;
        var before = Digest();

        copy.Append("reservations/lights.yaml", "\n# a comment changes the digest too\n");

        Assert.NotEqual(before, Digest());
    }

    [Fact]
    public void An_inventory_with_errors_is_never_rendered()
    {
        using var copy = TempInventory.FromFolder(RepositoryLayout.ExampleInventory);
        copy.Append("reservations/lights.yaml", "- { hw-address: \"a8:29:48:c0:01:61\", ip-address: 192.168.1.74, hostname: eap773 }\n");

        var result = RenderPipeline.Default(copy.Folder).Run(copy.Folder, null, () => null);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Code == "KGO201");
    }
}
