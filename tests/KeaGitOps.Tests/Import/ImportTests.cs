using System.Text.Json;
using System.Text.Json.Nodes;
using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Import;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Core.Validation;
using KeaGitOps.Tests.Support;
using Xunit;

namespace KeaGitOps.Tests.Import;

/// <summary>keagitops import on the user's two servers (fixtures modelled on their report) and on keagitops' own output.</summary>
public sealed class ImportTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "keagitops-tests", "import-" + Guid.NewGuid().ToString("N"));

    private static string Server1 => RepositoryLayout.Fixture("import/report/kea-dhcp-1.conf");

    private static string Server2 => RepositoryLayout.Fixture("import/report/kea-dhcp-2.conf");

    private string Out => Path.Combine(_folder, "out");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private (int ExitCode, string Console) Import(params string[] extra)
    {
        var console = new StringWriter();
        var prefer = Array.IndexOf(extra, "--prefer") is var p and >= 0 ? extra[p + 1] : null;
        var code = ImportCommand.Run([$"kea-dhcp-1={Server1}", $"kea-dhcp-2={Server2}"], new DirectoryInfo(Out), prefer, extra.Contains("--strict"), console);
        return (code, console.ToString());
    }

    private static ValidationResult Validate(string folder) =>
        new InventoryValidator(SchemaValidator.BuiltIn, InventoryValidator.DefaultRules, new InventoryLoader(folder)).Validate(folder);

    [Fact]
    public void The_report_names_the_identity_fault_the_reservation_only_on_server_2_and_the_74_conflict()
    {
        var (code, console) = Import();

        Assert.Equal(ExitCodes.Success, code);
        var report = File.ReadAllText(Path.Combine(Out, ImportOutput.ReportFile));
        Assert.Equal(report, console[..report.Length]);
        Assert.Contains("## Identity problems (1)\n\n- kea-dhcp-2: its config names itself \"kea-dhcp-1\" (this-server-name)", report, StringComparison.Ordinal);
        Assert.Contains("## Reservations only on one server (1)\n\n- subnet 1: a8:29:48:c0:01:60 (eap773-ap-1) → 192.168.1.74 is only on kea-dhcp-2", report, StringComparison.Ordinal);
        Assert.Contains("## Same address, different identifiers (1)\n\n- subnet 1: 192.168.1.74 is reserved for bc:24:11:16:c6:92 (influxdb) on kea-dhcp-1 and kea-dhcp-2, a8:29:48:c0:01:60 (eap773-ap-1) on kea-dhcp-2; kea-dhcp-1's kept", report, StringComparison.Ordinal);
        Assert.Contains("## Different options, timers, subnets and settings (0)", report, StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_ends_with_validation_and_each_servers_round_trip()
    {
        Import();

        var report = File.ReadAllText(Path.Combine(Out, ImportOutput.ReportFile));
        var check = report[report.IndexOf(ImportCheck.Heading, StringComparison.Ordinal)..];
        Assert.Contains("- `keagitops validate`: 0 error(s), 1 warning(s)\n  - `site.yaml:35:13: warning KGO204: ", check, StringComparison.Ordinal);
        Assert.Contains("- Round trip: rendering this inventory gives back kea-dhcp-1's config: every value, apart from", check, StringComparison.Ordinal);
        Assert.Contains(
            "- Round trip: kea-dhcp-2's config comes back with 2 difference(s) (where kea-dhcp-1's version won a conflict above, or keagitops cannot express it):\n"
            + "  - `Dhcp4.hooks-libraries[1].parameters.high-availability[0].this-server-name: \"kea-dhcp-1\" rendered as \"kea-dhcp-2\"`\n"
            + "  - `Dhcp4.subnet4[0].reservations[2]: hw-address=a8:29:48:c0:01:60 missing from the render`\n",
            check,
            StringComparison.Ordinal);
    }

    /// <summary>Imports the report's two servers, each from its own folder with <paramref name="agent"/> as its kea-ctrl-agent.conf.</summary>
    private (int ExitCode, string Console) ImportWithAgent(string agent) => ImportWithAgents(_ => agent);

    /// <summary>Imports the report's two servers, each from its own folder with <paramref name="agentOf"/>(server) as its kea-ctrl-agent.conf.</summary>
    private (int ExitCode, string Console) ImportWithAgents(Func<string, string> agentOf)
    {
        var from = new List<string>();
        foreach (var (server, config) in new[] { ("kea-dhcp-1", Server1), ("kea-dhcp-2", Server2) })
        {
            var folder = Path.Combine(_folder, server);
            Directory.CreateDirectory(folder);
            File.Copy(config, Path.Combine(folder, TemplateSet.Dhcp4));
            File.WriteAllText(Path.Combine(folder, TemplateSet.ControlAgent), agentOf(server));
            from.Add($"{server}={Path.Combine(folder, TemplateSet.Dhcp4)}");
        }

        var console = new StringWriter();
        return (ImportCommand.Run(from, new DirectoryInfo(Out), null, strict: false, console), console.ToString());
    }

    [Fact]
    public void The_control_agents_address_port_and_password_file_are_imported_and_render_back()
    {
        var (code, console) = ImportWithAgent("""
            { "Control-agent": {
                "http-host": "127.0.0.1", "http-port": 8001,
                "authentication": { "type": "basic", "realm": "kea-control-agent", "directory": "/etc/kea",
                                    "clients": [ { "user": "kea-api", "password-file": "kea-api-password" } ] },
                "control-sockets": { "dhcp4": { "socket-type": "unix", "socket-name": "kea4-ctrl-socket" } } } }
            """);

        Assert.Equal(ExitCodes.Success, code);
        var model = Validate(Out).Model!;
        Assert.Equal(("127.0.0.1", 8001L), (model.ControlAgent.Host, model.ControlAgent.Port));
        Assert.Equal(("kea-api", "/etc/kea/kea-api-password"), (model.ControlAgent.Authentication!.User, model.ControlAgent.Authentication.PasswordFile));
        Assert.Contains("- Round trip: rendering this inventory gives back kea-dhcp-1's config", console, StringComparison.Ordinal);
        Assert.DoesNotContain("Control-agent", console[console.IndexOf(ImportCheck.Heading, StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public void Agents_on_their_own_servers_addresses_are_imported_per_server_not_as_one_conflict()
    {
        var (code, console) = ImportWithAgents(server => $$"""
            { "Control-agent": { "http-host": "{{(server == "kea-dhcp-1" ? "192.168.1.133" : "192.168.1.134")}}", "http-port": 8001,
                "control-sockets": { "dhcp4": { "socket-type": "unix", "socket-name": "kea4-ctrl-socket" } } } }
            """);

        Assert.Equal(ExitCodes.Success, code);
        var result = Validate(Out);
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        Assert.Equal(
            [("kea-dhcp-1", "192.168.1.133"), ("kea-dhcp-2", "192.168.1.134")],
            result.Model!.Servers.Select(s => (s.Name, s.ControlAgent?.Host)));
        Assert.DoesNotContain("control-agent.host:", console, StringComparison.Ordinal);
        Assert.DoesNotContain("Control-agent", console[console.IndexOf(ImportCheck.Heading, StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public void A_password_written_in_the_agent_config_is_named_but_never_copied()
    {
        const string Secret = "pa55-in-the-config";
        var (code, console) = ImportWithAgent($$"""
            { "Control-agent": { "http-host": "127.0.0.1", "http-port": 8001,
                "authentication": { "type": "basic", "clients": [ { "user": "kea-api", "password": "{{Secret}}" } ] } } }
            """);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("`Control-agent.authentication.clients[0].password: a password written in the config is not copied into the inventory; put it in a file on the server", console, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, console, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Out, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(Secret, File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_agent_on_the_ha_port_is_the_incident_and_the_report_names_the_rule()
    {
        var (code, console) = ImportWithAgent("""{ "Control-agent": { "http-host": "127.0.0.1", "http-port": 8000 } }""");

        Assert.Equal(ExitCodes.Success, code);
        var check = console[console.IndexOf(ImportCheck.Heading, StringComparison.Ordinal)..];
        Assert.Contains("- `keagitops validate`: 1 error(s)", check, StringComparison.Ordinal);
        Assert.Contains("error KGO302: high-availability port 8000 is also the control agent's port", check, StringComparison.Ordinal);
        Assert.Contains("- Round trip: not checked", check, StringComparison.Ordinal);
    }

    /// <summary>Imports the report's configs as if read over SSH from servers holding <paramref name="assigned"/> addresses.</summary>
    private static (ImportPlan Plan, string Site) ImportLive(string server1Config, Dictionary<string, string[]> assigned)
    {
        using var one = KeaJson.Parse(server1Config, Server1);
        using var two = KeaJson.Load(Server2);
        var (plan, output) = KeaImport.Run(
            [
                new ImportSource("kea-dhcp-1", "kea-dhcp-1", one.Document!.RootElement, AssignedAddresses: assigned["kea-dhcp-1"].ToHashSet()),
                new ImportSource("kea-dhcp-2", "kea-dhcp-2", two.Document!.RootElement, AssignedAddresses: assigned["kea-dhcp-2"].ToHashSet()),
            ],
            null);
        return (plan, output.Files[ImportOutput.SiteFile]);
    }

    [Fact]
    public void A_peer_address_the_live_server_does_not_have_gives_way_to_the_one_it_has()
    {
        // kea-dhcp-1 (preferred) says kea-dhcp-2 is at .135; kea-dhcp-2 says .134, which is the address it has.
        var drifted = File.ReadAllText(Server1).Replace("http://192.168.1.134:8000/", "http://192.168.1.135:8000/", StringComparison.Ordinal);

        var (plan, site) = ImportLive(drifted, new() { ["kea-dhcp-1"] = ["127.0.0.1", "192.168.1.133"], ["kea-dhcp-2"] = ["127.0.0.1", "192.168.1.134"] });

        Assert.Contains(plan.Findings, f => f.Message == "kea-dhcp-2: its HA address 192.168.1.135 (from kea-dhcp-1's peer URL) is not assigned on the server (it has 192.168.1.134); 192.168.1.134, which is, is kept");
        Assert.Contains("name: \"kea-dhcp-2\", address: \"192.168.1.134\"", site, StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Findings, f => f.Message.StartsWith("kea-dhcp-1: its HA address", StringComparison.Ordinal));
    }

    [Fact]
    public void A_peer_address_no_config_gets_right_is_an_identity_problem_for_the_user()
    {
        var (plan, _) = ImportLive(File.ReadAllText(Server1), new() { ["kea-dhcp-1"] = ["192.168.1.133"], ["kea-dhcp-2"] = ["10.0.0.2"] });

        Assert.Contains(plan.Findings, f => f.Category == FindingCategory.Identity
            && f.Message == "kea-dhcp-2: its HA address 192.168.1.134 (from its peer URL) is not assigned on the server (it has 10.0.0.2); its HA listener could not bind it: set servers[].address");
    }

    [Fact]
    public void The_written_inventory_validates_and_marks_the_conflicts_on_their_entries()
    {
        Import();

        var result = Validate(Out);
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        var reservations = File.ReadAllLines(Path.Combine(Out, "reservations", "subnet-1.yaml")).Where(l => l.StartsWith("- ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["192.168.1.11", "192.168.1.24", "192.168.1.47", "192.168.1.74", "192.168.1.242"], reservations.Select(l => l.Split("ip-address: \"")[1].Split('"')[0]));
        Assert.DoesNotContain(reservations, l => l.StartsWith("- { hw-address: \"a8:29:48:c0:01:60\"", StringComparison.Ordinal));
        Assert.Contains("# import: conflict, left out: - { hw-address: \"a8:29:48:c0:01:60\", ip-address: \"192.168.1.74\", hostname: \"eap773-ap-1\" }  (kea-dhcp-1 gives 192.168.1.74 to another client; only on kea-dhcp-2", File.ReadAllText(Path.Combine(Out, "reservations", "subnet-1.yaml")), StringComparison.Ordinal);
        Assert.Contains("# import: conflict: 192.168.1.74 is also reserved for a8:29:48:c0:01:60", reservations.Single(l => l.Contains("influxdb", StringComparison.Ordinal)), StringComparison.Ordinal);
        var site = File.ReadAllLines(Path.Combine(Out, ImportOutput.SiteFile));
        Assert.Contains("# import: conflict: kea-dhcp-2: its config names itself \"kea-dhcp-1\"", site.Single(l => l.Contains("name: \"kea-dhcp-2\"", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(1, result.Model!.Servers.Count(s => s.Name == "kea-dhcp-2" && s.Address?.ToString() == "192.168.1.134"));
        Assert.Equal(["192.168.1.253", "192.168.1.224"], result.Model.OptionData.Single(o => o.Name == "domain-name-servers").Values.Select(v => v.Value));
    }

    [Fact]
    public void Preferring_server_2_keeps_both_74_reservations_and_validation_names_both_places()
    {
        var (code, console) = Import("--prefer", "kea-dhcp-2");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("kea-dhcp-2 itself reserves it twice: all kept, fix by hand", console, StringComparison.Ordinal);
        var errors = Validate(Out).Diagnostics.Where(d => d.IsError).ToList();
        var error = Assert.Single(errors);
        Assert.Equal("KGO201", error.Code);
        Assert.Contains("influxdb", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("eap773-ap-1", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Strict_prints_the_conflicts_writes_nothing_and_exits_1()
    {
        var (code, console) = Import("--strict");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("--strict: 3 conflict(s): nothing written", console, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void Drift_in_a_peer_url_an_address_and_a_timer_is_reported_and_decided_for_the_preferred_server()
    {
        var drifted = File.ReadAllText(Server2)
            .Replace("\"url\": \"http://192.168.1.134:8000/\"", "\"url\": \"http://192.168.1.135:8000/\"", StringComparison.Ordinal)
            .Replace("\"ip-address\": \"192.168.1.24\"", "\"ip-address\": \"192.168.1.25\"", StringComparison.Ordinal)
            .Replace("\"valid-lifetime\": 86400", "\"valid-lifetime\": 7200", StringComparison.Ordinal);
        Directory.CreateDirectory(_folder);
        var server2 = Path.Combine(_folder, "kea-dhcp-2.conf");
        File.WriteAllText(server2, drifted);

        var code = ImportCommand.Run([$"kea-dhcp-1={Server1}", $"kea-dhcp-2={server2}"], new DirectoryInfo(Out), null, strict: false, new StringWriter());

        Assert.Equal(ExitCodes.Success, code);
        var report = File.ReadAllText(Path.Combine(Out, ImportOutput.ReportFile));
        Assert.Contains("- peer kea-dhcp-2: the servers disagree on its URL host: kea-dhcp-1 says 192.168.1.134, kea-dhcp-2 says 192.168.1.135; kea-dhcp-1's is kept", report, StringComparison.Ordinal);
        Assert.Contains("## Same identifier, different addresses (1)\n\n- subnet 1: hw-address d8:e2:df:63:e6:12: kea-dhcp-1 gives 192.168.1.24, kea-dhcp-2 gives 192.168.1.25; kea-dhcp-1's kept", report, StringComparison.Ordinal);
        Assert.Contains("- valid-lifetime: kea-dhcp-1 has 86400, kea-dhcp-2 has 7200; kea-dhcp-1's kept", report, StringComparison.Ordinal);
        var site = File.ReadAllLines(Path.Combine(Out, ImportOutput.SiteFile));
        Assert.Equal("valid-lifetime: 86400  # import: conflict: kea-dhcp-1 has 86400, kea-dhcp-2 has 7200; kea-dhcp-1's kept", site.Single(l => l.StartsWith("valid-lifetime:", StringComparison.Ordinal)));
        Assert.Contains("address: \"192.168.1.134\"", site.Single(l => l.Contains("name: \"kea-dhcp-2\"", StringComparison.Ordinal)), StringComparison.Ordinal);
        var xbox = File.ReadAllLines(Path.Combine(Out, "reservations", "subnet-1.yaml")).Single(l => l.Contains("xbox", StringComparison.Ordinal));
        Assert.StartsWith("- { hw-address: \"d8:e2:df:63:e6:12\", ip-address: \"192.168.1.24\", hostname: \"xbox\" }  # import: conflict: kea-dhcp-1 gives 192.168.1.24, kea-dhcp-2 gives 192.168.1.25", xbox, StringComparison.Ordinal);
    }

    /// <summary>Imports <paramref name="config"/> (an edited copy of server 1's) as the only server.</summary>
    private static (ImportPlan Plan, ImportOutput Output) ImportOne(string config)
    {
        using var parsed = KeaJson.Parse(config, Server1);
        Assert.True(parsed.Succeeded, parsed.Error?.ToString());
        return KeaImport.Run([new ImportSource("kea-dhcp-1", "kea-dhcp-1.conf", parsed.Document!.RootElement)], null);
    }

    [Fact]
    public void Keas_own_keys_without_a_typed_form_are_written_as_Kea_writes_them()
    {
        var config = File.ReadAllText(Server1)
            .Replace("\"renew-timer\": 43200,", "\"renew-timer\": 43200, \"expired-leases-processing\": { \"reclaim-timer-wait-time\": 10 },", StringComparison.Ordinal)
            .Replace("\"hostname\": \"xbox\" }", "\"hostname\": \"xbox\", \"next-server\": \"192.168.1.5\" }", StringComparison.Ordinal);
        var (plan, output) = ImportOne(config);

        Assert.Empty(plan.NotImported["kea-dhcp-1"]);
        Assert.Contains("expired-leases-processing: { reclaim-timer-wait-time: 10 }\n", output.Files[ImportOutput.SiteFile], StringComparison.Ordinal);
        Assert.Contains("hostname: \"xbox\", next-server: \"192.168.1.5\" }", output.Files["reservations/subnet-1.yaml"], StringComparison.Ordinal);
        Assert.False(plan.HasConflicts);
    }

    [Fact]
    public void A_setting_that_changes_service_is_never_dropped_quietly_it_stops_the_import_with_counts_unless_allow_loss()
    {
        // A shared network without its name: Kea's own check would refuse it, so import cannot place its subnets.
        const string Shared = "\"shared-networks\": [ { \"subnet4\": [ "
            + "{ \"id\": 20, \"subnet\": \"10.2.0.0/24\", \"reservations\": [ { \"hw-address\": \"02:00:00:00:02:01\", \"ip-address\": \"10.2.0.5\" }, { \"hw-address\": \"02:00:00:00:02:02\", \"ip-address\": \"10.2.0.6\" } ] }, "
            + "{ \"id\": 21, \"subnet\": \"10.2.1.0/24\", \"reservations\": [ { \"hw-address\": \"02:00:00:00:02:03\", \"ip-address\": \"10.2.1.5\" } ] } ] } ],";
        var config = Path.Combine(_folder, "kea-dhcp-1.conf");
        Directory.CreateDirectory(_folder);
        File.WriteAllText(config, File.ReadAllText(Server1).Replace("\"renew-timer\": 43200,", "\"renew-timer\": 43200, " + Shared, StringComparison.Ordinal));

        var console = new StringWriter();
        var code = ImportCommand.Run([$"kea-dhcp-1={config}"], new DirectoryInfo(Out), null, strict: false, console);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("kea-dhcp-1: Dhcp4.shared-networks[0]: a shared network without a name (Kea refuses one) with 2 subnet(s) and 3 reservation(s)", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("nothing written. Pass --allow-loss", console.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out) && Directory.EnumerateFileSystemEntries(Out).Any());

        code = ImportCommand.Run([$"kea-dhcp-1={config}"], new DirectoryInfo(Out), null, strict: false, new StringWriter(), allowLoss: true);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Dhcp4.shared-networks[0]: a shared network without a name (Kea refuses one) with 2 subnet(s) and 3 reservation(s)", File.ReadAllText(Path.Combine(Out, ImportOutput.ReportFile)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_pool_pinned_to_one_servers_HA_scope_is_imported_as_a_pool_keagitops_splits_and_its_class_kept()
    {
        // ISC's all-keys pins pools to a class whose test is only member('HA_server1'); here the pair's own scope.
        var config = File.ReadAllText(Server1)
            .Replace("\"renew-timer\": 43200,", "\"renew-timer\": 43200, \"client-classes\": [ { \"name\": \"first-only\", \"test\": \"member('HA_kea-dhcp-1')\", \"next-server\": \"10.2.3.4\" } ],", StringComparison.Ordinal)
            .Replace("{ \"pool\": \"192.168.1.225 - 192.168.1.250\" }", "{ \"pool\": \"192.168.1.225 - 192.168.1.250\", \"client-classes\": [ \"first-only\" ] }", StringComparison.Ordinal);
        Assert.Contains("first-only\" ]", config, StringComparison.Ordinal);
        var (plan, output) = ImportOne(config);

        var site = output.Files[ImportOutput.SiteFile];
        Assert.Contains("\"192.168.1.225 - 192.168.1.250\"", site, StringComparison.Ordinal);
        Assert.DoesNotContain("client-classes: [\"first-only\"]", site, StringComparison.Ordinal);
        Assert.Contains("name: \"first-only\"", site, StringComparison.Ordinal); // the class stays, for what else it gives the scope's clients
        Assert.Contains(plan.RenderedDifferently["kea-dhcp-1"], n => n.Reason.Contains("imported as a whole pool, which keagitops splits between the servers", StringComparison.Ordinal));
    }

    [Fact]
    public void A_secret_inside_a_Kea_value_is_left_out_and_named()
    {
        var config = File.ReadAllText(Server1)
            .Replace("\"renew-timer\": 43200,", "\"renew-timer\": 43200, \"hosts-database\": { \"type\": \"postgresql\", \"name\": \"kea\", \"user\": \"kea\", \"password\": \"s3cret-in-config\" },", StringComparison.Ordinal);
        var (plan, output) = ImportOne(config);

        Assert.Equal("Dhcp4.hosts-database.password", Assert.Single(plan.NotImported["kea-dhcp-1"]).Path);
        Assert.Contains("hosts-database: { type: \"postgresql\", name: \"kea\", user: \"kea\" }\n", output.Files[ImportOutput.SiteFile], StringComparison.Ordinal);
        Assert.All(output.Files.Values.Append(output.Report), text => Assert.DoesNotContain("s3cret-in-config", text, StringComparison.Ordinal));
    }

    [Fact]
    public void Entries_of_the_wrong_shape_are_named_not_thrown_on()
    {
        var config = File.ReadAllText(Server1)
            .Replace("\"reservations\": [", "\"reservations\": [ 42, \"text\",", StringComparison.Ordinal)
            .Replace("\"option-data\": [", "\"option-data\": [ [], ", StringComparison.Ordinal);
        var (plan, _) = ImportOne(config);

        Assert.Contains("Dhcp4.subnet4[0].reservations[0]: expected a JSON object, found number", plan.NotImported["kea-dhcp-1"].Select(n => n.ToString()));
        Assert.Contains("Dhcp4.subnet4[0].reservations[1]: expected a JSON object, found string", plan.NotImported["kea-dhcp-1"].Select(n => n.ToString()));
        Assert.Contains(plan.NotImported["kea-dhcp-1"], n => n.ToString().EndsWith(".option-data[0]: expected a JSON object, found array", StringComparison.Ordinal));
    }

    [Fact]
    public void A_key_with_backticks_stays_one_code_span_in_the_report()
    {
        var config = File.ReadAllText(Server1).Replace("\"renew-timer\": 43200,", "\"renew-timer\": 43200, \"odd``password`\": 1,", StringComparison.Ordinal);
        var (_, output) = ImportOne(config);

        // CommonMark: a span holding a run of two backticks is fenced by three.
        Assert.Contains("- ```Dhcp4.odd``password`: a secret is never copied", output.Report, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_strings_are_quoted_so_the_inventory_reads_them_back_unchanged()
    {
        const string Hostile = "x\" # not a comment\n- { ip-address: 10.0.0.1 }: '\\";
        var config = File.ReadAllText(Server1).Replace("\"hostname\": \"xbox\"", "\"hostname\": " + JsonSerializer.Serialize(Hostile), StringComparison.Ordinal);
        using var parsed = KeaJson.Parse(config, Server1);
        var (_, output) = KeaImport.Run([new ImportSource("kea-dhcp-1", "kea-dhcp-1.conf", parsed.Document!.RootElement)], null);
        foreach (var (path, text) in output.Files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Out, path))!);
            File.WriteAllText(Path.Combine(Out, path), text);
        }

        var result = Validate(Out);

        Assert.Equal(Hostile, result.Model!.Subnets[0].Reservations.Single(r => r.HwAddress == "d8:e2:df:63:e6:12").Hostname);
        Assert.Equal(5, result.Model.Subnets[0].Reservations.Count);
    }

    [Theory]
    [InlineData("inventory")]
    [InlineData("render/kea-keys")] // Kea keys at every scope, class-restricted pools with options, every identifier, reservations without an address
    [InlineData("render/hot-standby")]
    [InlineData("render/shared-networks")]
    [InlineData("render/per-server")] // each server's own dhcp-ddns.sender-ip and server-tag, and agent address
    public void Importing_keagitops_own_render_renders_back_to_the_same_configs(string inventory)
    {
        using var example = TempInventory.FromFolder(inventory == "inventory" ? RepositoryLayout.ExampleInventory : RepositoryLayout.Fixture(inventory));
        var original = RenderPipeline.Default(example.Folder).Run(example.Folder, null, () => null);
        Assert.True(original.Succeeded, string.Join("\n", original.Diagnostics));
        var sources = new List<ImportSource>();
        var documents = new List<KeaJsonResult>();
        foreach (var server in original.Servers!)
        {
            var parsed = KeaJson.Parse(server.File(TemplateSet.Dhcp4).Text, server.Name + ".conf");
            documents.Add(parsed);
            sources.Add(new ImportSource(server.Name, server.Name + ".conf", parsed.Document!.RootElement));
        }

        var (plan, output) = KeaImport.Run(sources, null);
        foreach (var document in documents)
        {
            document.Dispose();
        }

        Assert.Empty(plan.Findings);
        Assert.Empty(plan.NotImported.SelectMany(n => n.Value));
        foreach (var (path, text) in output.Files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Out, path))!);
            File.WriteAllText(Path.Combine(Out, path), text);
        }

        var again = RenderPipeline.Default(Out).Run(Out, null, () => null);
        Assert.True(again.Succeeded, string.Join("\n", again.Diagnostics));
        Assert.Equal(2, again.Servers!.Count);
        foreach (var server in original.Servers)
        {
            using var before = Comparable(server.File(TemplateSet.Dhcp4).Text);
            using var after = Comparable(again.Servers.Single(s => s.Name == server.Name).File(TemplateSet.Dhcp4).Text);
            Assert.Empty(JsonDiff.Compare(before.RootElement, after.RootElement));
        }
    }

    /// <summary>
    /// A rendered config without keagitops' provenance (Dhcp4.user-context), with reservations in address
    /// order: the example spreads them over four files, import writes one sorted file, and Kea gives the
    /// order of reservations no meaning.
    /// </summary>
    private static JsonDocument Comparable(string text)
    {
        var root = JsonNode.Parse(text)!;
        var dhcp4 = root["Dhcp4"]!.AsObject();
        Assert.True(dhcp4.Remove("user-context"));
        foreach (var subnet in dhcp4["subnet4"]!.AsArray())
        {
            var reservations = subnet!["reservations"]!.AsArray();
            var sorted = reservations.Select(r => r!.DeepClone())
                .OrderBy(r => r["ip-address"] is { } address ? Version.Parse(address.GetValue<string>()) : new Version(255, 255, 255, 255))
                .ThenBy(r => r.ToJsonString(), StringComparer.Ordinal)
                .ToList();
            reservations.Clear();
            foreach (var r in sorted)
            {
                reservations.Add(r);
            }
        }

        return JsonDocument.Parse(root.ToJsonString());
    }

    /// <summary>Imports both report servers after <paramref name="edit"/> has changed each one's config text (given the server's name).</summary>
    private (int ExitCode, string Console) ImportEdited(Func<string, string, string> edit, ReservationGrouping grouping = ReservationGrouping.Subnet)
    {
        Directory.CreateDirectory(_folder);
        var from = new List<string>();
        foreach (var (server, config) in new[] { ("kea-dhcp-1", Server1), ("kea-dhcp-2", Server2) })
        {
            var path = Path.Combine(_folder, server + ".conf");
            File.WriteAllText(path, edit(server, File.ReadAllText(config)));
            from.Add($"{server}={path}");
        }

        var console = new StringWriter();
        return (ImportCommand.Run(from, new DirectoryInfo(Out), null, strict: false, console, grouping), console.ToString());
    }

    [Fact]
    public void A_mac_written_with_one_digit_octets_is_imported_in_its_normal_form_and_the_inventory_validates()
    {
        // Kea reads D8:E2:DF:3:E6:2 as d8:e2:df:03:e6:02 (server 2's spelling): one device, and validate accepts only the normal form.
        var (code, console) = ImportEdited((server, text) =>
            text.Replace("\"d8:e2:df:63:e6:12\"", server == "kea-dhcp-1" ? "\"D8:E2:DF:3:E6:2\"" : "\"d8:e2:df:03:e6:02\"", StringComparison.Ordinal));

        Assert.Equal(ExitCodes.Success, code);
        var line = File.ReadAllLines(Path.Combine(Out, "reservations", "subnet-1.yaml")).Single(l => l.Contains("xbox", StringComparison.Ordinal));
        Assert.StartsWith("- { hw-address: \"d8:e2:df:03:e6:02\", ip-address: \"192.168.1.24\", hostname: \"xbox\" }", line, StringComparison.Ordinal);
        Assert.Contains("## Reservations only on one server (1)", console, StringComparison.Ordinal);
        Assert.DoesNotContain(Validate(Out).Diagnostics, d => d.IsError);
        Assert.Contains("- Round trip: rendering this inventory gives back kea-dhcp-1's config", console, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subnet_without_reservations_gets_a_file_a_person_can_append_a_reservation_to()
    {
        var (code, _) = ImportEdited((_, text) => System.Text.RegularExpressions.Regex.Replace(text, "\"reservations\": \\[[^\\]]*\\]", "\"reservations\": []"));
        Assert.Equal(ExitCodes.Success, code);
        var file = Path.Combine(Out, "reservations", "subnet-1.yaml");
        Assert.DoesNotContain("[]", File.ReadAllText(file), StringComparison.Ordinal);
        var empty = Validate(Out);
        Assert.DoesNotContain(empty.Diagnostics, d => d.IsError);
        Assert.Empty(empty.Model!.Subnets[0].Reservations);

        File.AppendAllText(file, "- { hw-address: \"02:00:00:00:00:09\", ip-address: \"192.168.1.99\", hostname: \"added\" }\n");

        var added = Validate(Out);
        Assert.DoesNotContain(added.Diagnostics, d => d.IsError);
        Assert.Equal("added", Assert.Single(added.Model!.Subnets[0].Reservations).Hostname);
    }

    [Fact]
    public void Grouped_by_hostname_prefix_a_subnet_without_reservations_still_validates()
    {
        var (code, _) = ImportEdited((_, text) => System.Text.RegularExpressions.Regex.Replace(text, "\"reservations\": \\[[^\\]]*\\]", "\"reservations\": []"), ReservationGrouping.HostnamePrefix);

        Assert.Equal(ExitCodes.Success, code);
        var result = Validate(Out);
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        Assert.Empty(result.Model!.Subnets[0].Reservations);
    }

    [Fact]
    public void A_top_level_key_of_the_agent_config_is_reported_once_and_not_again_by_the_round_trip()
    {
        var (code, console) = ImportWithAgent("""{ "Control-agent": { "http-host": "127.0.0.1", "http-port": 8001 }, "Logging": { "loggers": [] } }""");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("- `Control-agent:$.Logging: a top-level key of kea-ctrl-agent.conf keagitops does not render`", console, StringComparison.Ordinal);
        Assert.Contains("- Round trip: rendering this inventory gives back kea-dhcp-1's config", console, StringComparison.Ordinal);
    }
}
