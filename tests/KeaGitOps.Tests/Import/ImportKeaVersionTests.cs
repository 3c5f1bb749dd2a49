using System.Text.Json;
using System.Text.Json.Nodes;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Import;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.Support;
using Xunit;

namespace KeaGitOps.Tests.Import;

/// <summary>
/// Import reads the Kea version from the syntax only some versions take (Kea's grammar per release):
/// 3.0's new names mean 3.0, bare hook names and output-options at least 2.6, a subnet without an id 2.2.
/// Evidence no version reads is a finding; a choice between versions is an assumption in the report.
/// </summary>
public sealed class ImportKeaVersionTests
{
    private const string Ha = """
        { "library": "libdhcp_ha.so", "parameters": { "high-availability": [ { "this-server-name": "a", "mode": "hot-standby",
          "peers": [ { "name": "a", "url": "http://192.0.2.1:8000/", "role": "primary" }, { "name": "b", "url": "http://192.0.2.2:8000/", "role": "standby" } ] } ] } }
        """;

    /// <summary>A one-subnet, one-pool config with <paramref name="dhcp4"/>, <paramref name="subnet"/> and <paramref name="pool"/> members added.</summary>
    private static ServerSnapshot Read(string dhcp4 = "", string subnet = "\"id\": 1,", string pool = "")
    {
        var text = $$"""
            { "Dhcp4": { {{dhcp4}}
              "subnet4": [ { {{subnet}} "subnet": "10.0.0.0/24", "pools": [ { {{pool}} "pool": "10.0.0.10 - 10.0.0.20" } ] } ] } }
            """;
        using var document = JsonDocument.Parse(text);
        return KeaConfigReader.Read("a", document.RootElement);
    }

    private static string VersionOf(ServerSnapshot snapshot) =>
        snapshot.Settings.Single(s => s.Key == "kea.version").Value.ToYaml().Trim('"');

    [Fact]
    public void Control_sockets_mean_kea_3_0_even_beside_the_older_logger_name()
    {
        // Before: output_options made this 2.2, whose render Kea 3.0 reads but whose paths it refuses.
        var snapshot = Read("""
            "control-sockets": [ { "socket-type": "unix", "socket-name": "kea4-ctrl-socket" } ],
            "loggers": [ { "name": "kea-dhcp4", "severity": "INFO", "output_options": [ { "output": "stdout" } ] } ],
            """);

        Assert.Equal("3.0", VersionOf(snapshot));
        Assert.Null(snapshot.KeaVersionReading);
    }

    [Theory]
    [InlineData("\"client-classes\": [ \"HA_a\" ],", "pool")]
    [InlineData("\"evaluate-additional-classes\": [ \"late\" ],", "subnet")]
    [InlineData("\"client-classes\": [ \"trusted\" ],", "subnet")]
    public void Kea_3_0_names_mean_kea_3_0(string member, string where)
    {
        var snapshot = where == "pool" ? Read(pool: member) : Read(subnet: "\"id\": 1, " + member);

        Assert.Equal("3.0", VersionOf(snapshot));
        Assert.Null(snapshot.KeaVersionReading);
    }

    [Fact]
    public void Class_definitions_and_reservation_classes_are_in_every_version_so_they_tell_nothing()
    {
        var snapshot = Read("""
            "client-classes": [ { "name": "trusted", "test": "member('ALL')" } ],
            "loggers": [ { "name": "kea-dhcp4", "severity": "INFO", "output_options": [ { "output": "stdout" } ] } ],
            """);

        Assert.Equal("2.2", VersionOf(snapshot));
        Assert.Contains("the config fits Kea 2.2, 2.6 or 3.0", snapshot.KeaVersionReading!.Message, StringComparison.Ordinal);
        Assert.False(snapshot.KeaVersionReading.Contradictory);
    }

    [Fact]
    public void Subnets_without_an_id_mean_kea_2_2_which_numbers_them()
    {
        // Before: no 2.2 key names made this 3.0, which refuses a subnet without an id (so does 2.6).
        var snapshot = Read(subnet: string.Empty);

        Assert.Equal("2.2", VersionOf(snapshot));
        Assert.Null(snapshot.KeaVersionReading);
    }

    [Fact]
    public void Bare_hook_names_with_a_pools_single_class_mean_kea_2_6()
    {
        var snapshot = Read($"\"hooks-libraries\": [ {{ \"library\": \"libdhcp_lease_cmds.so\" }}, {Ha} ],", pool: "\"client-class\": \"HA_a\",");

        Assert.Equal("2.6", VersionOf(snapshot));
        Assert.Equal(
            "kea.version 2.6: the config fits Kea 2.6 or 3.0; Dhcp4.hooks-libraries[0].library is a bare hook name (Kea 2.6 on), and Dhcp4.subnet4[0].pools[0].client-class is the older syntax. Set kea.version if the server runs another",
            snapshot.KeaVersionReading!.Message);
    }

    [Fact]
    public void Bare_hook_names_alone_fit_2_6_and_3_0_and_the_newest_is_assumed_in_so_many_words()
    {
        var snapshot = Read($"\"hooks-libraries\": [ {Ha} ],");

        Assert.Equal("3.0", VersionOf(snapshot));
        Assert.Equal(
            "kea.version 3.0: the config fits Kea 2.6 or 3.0; Dhcp4.hooks-libraries[0].library is a bare hook name (Kea 2.6 on), and nothing tells the newer versions apart; the newest is assumed. Set kea.version if the server runs another",
            snapshot.KeaVersionReading!.Message);
    }

    [Fact]
    public void Kea_3_0_syntax_beside_a_subnet_without_an_id_is_a_finding_not_a_guess()
    {
        var snapshot = Read("\"control-sockets\": [ { \"socket-type\": \"unix\", \"socket-name\": \"kea4-ctrl-socket\" } ],", string.Empty);

        Assert.Equal("3.0", VersionOf(snapshot));
        Assert.True(snapshot.KeaVersionReading!.Contradictory);
        Assert.Equal(
            "kea.version 3.0: Dhcp4.control-sockets is Kea 3.0 syntax, but Dhcp4.subnet4[0] has no id, which Kea 2.6 and 3.0 refuse: no Kea version reads this config as it is; check which version the server runs",
            snapshot.KeaVersionReading.Message);

        var plan = ImportReconciler.Reconcile([snapshot], "a");
        var finding = Assert.Single(plan.Findings, f => f.Category == FindingCategory.KeaVersion);
        Assert.StartsWith("a: kea.version 3.0: Dhcp4.control-sockets", finding.Message, StringComparison.Ordinal);
        Assert.True(plan.HasConflicts);
        var report = ImportReport.Write(plan, new Dictionary<string, string> { ["a"] = "a.conf" }, plan.Assumed);
        Assert.Contains("## Kea version (1)\n\n- a: kea.version 3.0: Dhcp4.control-sockets is Kea 3.0 syntax", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_in_user_context_and_string_values_are_not_syntax()
    {
        var snapshot = Read(
            "\"user-context\": { \"control-sockets\": [], \"evaluate-additional-classes\": [] }, \"hooks-libraries\": [ { \"library\": \"/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_lease_cmds.so\" } ],",
            "\"id\": 1, \"user-context\": { \"comment\": \"control-sockets\", \"client-classes\": [ \"x\" ] },");

        Assert.Equal("3.0", VersionOf(snapshot));
        Assert.Equal(
            "kea.version 3.0: the config fits Kea 2.2, 2.6 or 3.0; no syntax in the config tells the versions apart; the newest is assumed. Set kea.version if the server runs another",
            snapshot.KeaVersionReading!.Message);
    }

    /// <summary>The assumption reaches the report's Assumed section; a contradiction its Kea version section.</summary>
    [Fact]
    public void The_report_says_how_the_version_was_read()
    {
        using var parsed = KeaJson.Load(RepositoryLayout.Fixture("import/report/kea-dhcp-1.conf"));
        Assert.True(parsed.Succeeded, parsed.Error?.ToString());
        var (plan, output) = KeaImport.Run([new ImportSource("kea-dhcp-1", "kea-dhcp-1.conf", parsed.Document!.RootElement)], null);

        Assert.DoesNotContain(plan.Findings, f => f.Category == FindingCategory.KeaVersion);
        Assert.Contains("## Kea version (0)\n\n- none\n", output.Report, StringComparison.Ordinal);
        Assert.Contains("- kea-dhcp-1: kea.version 3.0: the config fits Kea 2.6 or 3.0; Dhcp4.loggers[0].output-options is Kea 2.6 syntax, and nothing tells the newer versions apart; the newest is assumed.", output.Report, StringComparison.Ordinal);
    }

    /// <summary>
    /// keagitops' own renders come back with the version they were rendered for (load-balancing pools
    /// carry the version's class syntax) and render back to the same configs.
    /// </summary>
    [Theory]
    [InlineData("2.2")]
    [InlineData("2.6")]
    [InlineData("3.0")]
    public void A_render_for_each_version_is_imported_as_that_version_and_renders_back_the_same(string version)
    {
        using var example = TempInventory.FromFolder(RepositoryLayout.ExampleInventory, version);
        var original = RenderPipeline.Default(example.Folder).Run(example.Folder, null, () => null);
        Assert.True(original.Succeeded, string.Join("\n", original.Diagnostics));
        var parsed = original.Servers!.Select(s => (s.Name, Json: KeaJson.Parse(s.File(TemplateSet.Dhcp4).Text, s.Name + ".conf"))).ToList();
        try
        {
            var (plan, output) = KeaImport.Run([.. parsed.Select(p => new ImportSource(p.Name, p.Name + ".conf", p.Json.Document!.RootElement))], null);

            Assert.Empty(plan.Findings);
            Assert.Equal($"\"{version}\"", plan.Settings.Single(s => s.Value.Key == "kea.version").Value.Value.ToYaml());
            using var imported = new ScratchFolder();
            foreach (var (path, text) in output.Files)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(imported.Path, path))!);
                File.WriteAllText(Path.Combine(imported.Path, path), text);
            }

            var again = RenderPipeline.Default(imported.Path).Run(imported.Path, null, () => null);
            Assert.True(again.Succeeded, string.Join("\n", again.Diagnostics));
            foreach (var server in original.Servers!)
            {
                using var before = WithoutProvenance(server.File(TemplateSet.Dhcp4).Text);
                using var after = WithoutProvenance(again.Servers!.Single(s => s.Name == server.Name).File(TemplateSet.Dhcp4).Text);
                Assert.Empty(JsonDiff.Compare(before.RootElement, after.RootElement));
            }
        }
        finally
        {
            parsed.ForEach(p => p.Json.Dispose());
        }
    }

    /// <summary>The render without provenance, reservations in address order (import writes them sorted; Kea gives their order no meaning).</summary>
    private static JsonDocument WithoutProvenance(string text)
    {
        var root = JsonNode.Parse(text)!;
        var dhcp4 = root["Dhcp4"]!.AsObject();
        dhcp4.Remove("user-context");
        foreach (var subnet in dhcp4["subnet4"]!.AsArray())
        {
            var sorted = subnet!["reservations"]!.AsArray().Select(r => r!.DeepClone()).OrderBy(r => Version.Parse(r["ip-address"]!.GetValue<string>())).ToList();
            subnet["reservations"] = new JsonArray([.. sorted]);
        }

        return JsonDocument.Parse(root.ToJsonString());
    }
}
