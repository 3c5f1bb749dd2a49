using System.Diagnostics;
using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Cli.Output;
using KeaGitOps.Tests.Support;
using Xunit.Abstractions;

namespace KeaGitOps.Tests.Lab;

/// <summary>
/// keagitops deploy against the two-server lab (real sshd, real Kea 3.0 in HA): the happy path and
/// every failure the safety contract names. Each test checks the servers' state afterwards; the lab is
/// brought back to the example's config after any test that changed it.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class DeployLabTests(LabFixture lab, ITestOutputHelper output) : IDisposable
{
    private const string LiveDhcp4 = "/etc/kea/kea-dhcp4.conf";

    /// <summary>Lab servers have no systemd: the inventory names the lab's service shim, as a user names their own commands.</summary>
    private const string LabDeploySettings = """

        deploy:
          restart-command: kea-lab-service restart isc-kea-dhcp4-server
          status-command: kea-lab-service is-active isc-kea-dhcp4-server
          agent-restart-command: kea-lab-service restart isc-kea-ctrl-agent
          ha-timeout: 30
        """;

    private readonly TempInventory _inventory = CreateInventory(lab);

    private static TempInventory CreateInventory(LabFixture lab)
    {
        var inventory = lab.CreateLabInventory();
        inventory.Append("site.yaml", LabDeploySettings);
        // Faster heartbeats than the example's 10 s: a restarted lab server is healthy again in seconds.
        inventory.Replace("site.yaml", "heartbeat-delay: 10000", "heartbeat-delay: 1000");
        inventory.Replace("site.yaml", "max-response-delay: 60000", "max-response-delay: 6000");
        // The lab's own network, so the servers answer the DHCP probe's clients (kgo-c, 198.51.100.250).
        inventory.Replace("site.yaml", "    reservations-from: reservations/\n", "    reservations-from: reservations/\n" + LabSubnet);
        // The lab's subnet keeps the id and the pool halves the seed gives it (id 1, .10-.69 and .70-.129), so a
        // deploy from the seed moves no lease between subnets or scopes: a partner rejecting the other's lease
        // updates for a subnet it does not have would end in HA's terminated state, whatever deploy does.
        inventory.Replace("site.yaml", "  - id: 1\n    subnet: 192.168.1.0/24", "  - id: 3\n    subnet: 192.168.1.0/24");
        return inventory;
    }

    /// <summary>
    /// The subnet of the lab's bridge: a pool far larger than the probe's 20 clients (each keeps its
    /// lease), and reservations outside it that the runtime tests add to, remove from and change.
    /// </summary>
    public const string LabSubnet = """
          - id: 1
            subnet: 198.51.100.0/24
            comment: lab clients
            pools:
              - 198.51.100.10 - 198.51.100.129
            reservations:
              - { hw-address: "02:00:00:00:99:01", ip-address: 198.51.100.201, hostname: lab-fixed-1 }
              - { hw-address: "02:00:00:00:99:02", ip-address: 198.51.100.202, hostname: lab-fixed-2 }

        """;

    /// <summary>What the DHCP probe saw during the last <see cref="Deploy"/> that ran it.</summary>
    private DhcpProbeResult? _lastProbe;

    public void Dispose()
    {
        // Leave the lab as the next test expects it: no lock, the example deployed, both healthy.
        foreach (var server in LabFixture.Servers)
        {
            lab.RunOnServer(server, "rm -rf /run/lock/keagitops; kea-lab-service start isc-kea-dhcp4-server");
        }

        using var clean = CreateInventory(lab);
        var (code, text) = Deploy(clean, probe: false);
        output.WriteLine("cleanup deploy:\n" + text);
        if (code != ExitCodes.Success)
        {
            // A test may leave one server serving alone beside one that has not come back yet: each is then
            // deployed by name, forced, as a person repairing the lab would.
            foreach (var server in new[] { LabFixture.Server2, LabFixture.Server1 })
            {
                (code, text) = Deploy(clean, server: server, force: true, probe: false);
                output.WriteLine($"cleanup deploy of {server}, forced:\n" + text);
            }
        }

        _inventory.Dispose();
        Assert.Equal(ExitCodes.Success, code);

        // A server that was merely restarted (not deployed) may still be syncing: wait, bounded, for both.
        var deadline = Stopwatch.StartNew();
        while (LabFixture.Servers.Any(s => HaState(s) != "load-balancing"))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the lab did not return to load-balancing within 60 s");
            Thread.Sleep(500);
        }
    }

    /// <summary>Runs deploy in this process, with the DHCP probe running around it (unless <paramref name="probe"/> is false), and reports both.</summary>
    private (int ExitCode, string Output) Deploy(TempInventory inventory, string? server = null, bool dryRun = false, bool force = false, bool probe = true, bool allowLeased = false) =>
        Deploy(inventory.Folder, server, dryRun, force, probe, allowLeased);

    private (int ExitCode, string Output) Deploy(string inventoryFolder, string? server = null, bool dryRun = false, bool force = false, bool probe = true, bool allowLeased = false)
    {
        var console = new StringWriter();
        Task<int> Run() => DeployCommand.RunAsync(new DirectoryInfo(inventoryFolder), OutputFormat.Text, null, server, dryRun, force, console, CancellationToken.None, allowLeased: allowLeased);
        int code;
        if (probe)
        {
            (code, _lastProbe) = DhcpProbe.AroundAsync(Run).GetAwaiter().GetResult();
        }
        else
        {
            code = Run().GetAwaiter().GetResult();
        }

        output.WriteLine(console.ToString());
        if (probe)
        {
            output.WriteLine(_lastProbe!.ToString());
        }

        return (code, console.ToString());
    }

    private string Live(string server) => lab.ReadServerFile(server, LiveDhcp4);

    private string DaemonPid(string server) => lab.RunOnServer(server, "cat /run/kea/kea-lab-kea-dhcp4.pid").Stdout.Trim();

    /// <summary>The server's HA state, asked with Kea's own kea-shell inside the server (independent of keagitops' channel).</summary>
    private string HaState(string server, bool viaOwnAddress = false, int port = 8001)
    {
        var host = viaOwnAddress ? LabFixture.Address(server) : "127.0.0.1";
        var answer = lab.RunOnServer(server, $"kea-shell --host {host} --port {port} --timeout 2 --auth-user kea-api --auth-password-file /etc/kea/kea-api-password --service dhcp4 ha-heartbeat </dev/null").Stdout;
        var state = System.Text.RegularExpressions.Regex.Match(answer, "\"state\": \"([a-z-]+)\"");
        return state.Success ? state.Groups[1].Value : answer.Trim();
    }

    /// <summary>A control command answered by the server's own kea-shell (independent of keagitops' channel); <paramref name="arguments"/> is a JSON object.</summary>
    private string KeaShell(string server, string command, string arguments = "")
    {
        // kea-shell reads the members of the arguments object from stdin and adds the braces itself.
        var members = arguments.Trim() is ['{', .. var inner, '}'] ? inner : arguments;
        var quoted = "'" + members.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        return lab.RunOnServer(server, $"printf '%s' {quoted} | kea-shell --host 127.0.0.1 --port 8001 --timeout 5 --auth-user kea-api --auth-password-file /etc/kea/kea-api-password --service dhcp4 {command}").Stdout;
    }

    /// <summary>The address the running server reserves for a hardware address in subnet 1, or "none".</summary>
    private string RunningReservation(string server, string hwAddress)
    {
        var answer = KeaShell(server, "reservation-get", $$"""{ "subnet-id": 1, "identifier-type": "hw-address", "identifier": "{{hwAddress}}", "operation-target": "memory" }""");
        var address = System.Text.RegularExpressions.Regex.Match(answer, "\"ip-address\": \"([0-9.]+)\"");
        return address.Success ? address.Groups[1].Value : answer.Contains("\"result\": 3", StringComparison.Ordinal) ? "none" : answer.Trim();
    }

    /// <summary>
    /// kea-dhcp-2 restarted on <paramref name="dhcp4"/> (a config naming it after kea-dhcp-1, so it cannot start),
    /// then waited for (bounded) until kea-dhcp-1 serves alone in partner-down: the user's incident.
    /// </summary>
    private void BreakServer2AsInTheIncident(string dhcp4)
    {
        WriteServerFile(LabFixture.Server2, LiveDhcp4, dhcp4);
        lab.RunOnServer(LabFixture.Server2, "kea-lab-service restart isc-kea-dhcp4-server");
        var deadline = Stopwatch.StartNew();
        while (HaState(LabFixture.Server1) != "partner-down")
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"kea-dhcp-1 did not go partner-down within 60 s (it is {HaState(LabFixture.Server1)})");
            Thread.Sleep(300);
        }

        Assert.NotEqual("active", lab.RunOnServer(LabFixture.Server2, "kea-lab-service is-active isc-kea-dhcp4-server").Stdout.Trim());
    }

    /// <summary>Both servers in load-balancing, waited for (bounded): a restarted server takes a few heartbeats.</summary>
    private void WaitForLoadBalancing(bool viaOwnAddress = false)
    {
        var deadline = Stopwatch.StartNew();
        while (LabFixture.Servers.Any(s => HaState(s, viaOwnAddress) != "load-balancing") && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            Thread.Sleep(300);
        }

        Assert.All(LabFixture.Servers, server => Assert.Equal("load-balancing", HaState(server, viaOwnAddress)));
    }

    private const string AddedChangedRemoved = """
              - { hw-address: "02:00:00:00:99:01", ip-address: 198.51.100.211, hostname: lab-fixed-1 }
              - { hw-address: "02:00:00:00:99:03", ip-address: 198.51.100.203, hostname: lab-fixed-3, option-data: { domain-name: lab3.example, routers: 198.51.100.1 } }

        """;

    private void ChangeLabReservations() =>
        _inventory.Replace("site.yaml", """
              - { hw-address: "02:00:00:00:99:01", ip-address: 198.51.100.201, hostname: lab-fixed-1 }
              - { hw-address: "02:00:00:00:99:02", ip-address: 198.51.100.202, hostname: lab-fixed-2 }

        """, AddedChangedRemoved);

    [Fact]
    public void Reservations_added_removed_and_changed_apply_at_runtime_with_no_restart_and_no_request_lost()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        WaitForLoadBalancing();
        var pids = LabFixture.Servers.Select(DaemonPid).ToList();
        ChangeLabReservations();

        var clock = Stopwatch.StartNew();
        var (code, text) = Deploy(_inventory);
        output.WriteLine($"reservation-only deploy of two servers: {clock.Elapsed.TotalSeconds:0.00} s (probe included)");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(text, "Applied .* at runtime, no restart: 1 reservation\\(s\\) added, 1 removed, 1 changed"));
        Assert.Equal(0, _lastProbe!.Unanswered);
        Assert.True(_lastProbe.Discover.Received > 0, "the probe's clients were answered at all");
        Assert.Equal(pids, LabFixture.Servers.Select(DaemonPid).ToList());
        foreach (var server in LabFixture.Servers)
        {
            Assert.Equal("load-balancing", HaState(server));
            Assert.Equal("198.51.100.211", RunningReservation(server, "02:00:00:00:99:01"));
            Assert.Equal("none", RunningReservation(server, "02:00:00:00:99:02"));
            Assert.Equal("198.51.100.203", RunningReservation(server, "02:00:00:00:99:03"));
            var live = Live(server);
            Assert.Contains("198.51.100.211", live, StringComparison.Ordinal);
            Assert.DoesNotContain("02:00:00:00:99:02", live, StringComparison.Ordinal);
        }

        // The file and the running server agree: deploying again finds nothing to do.
        var (again, againText) = Deploy(_inventory, probe: false);
        Assert.Equal(ExitCodes.Success, again);
        Assert.Equal(2, againText.Split('\n').Count(l => l.Contains("Unchanged", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_subnets_timers_and_options_change_at_runtime_with_no_reload_and_no_request_lost()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        WaitForLoadBalancing();
        var pids = LabFixture.Servers.Select(DaemonPid).ToList();
        var reloadedBefore = LabFixture.Servers.Select(SecondsSinceReconfiguration).ToList();
        _inventory.Replace("site.yaml", "    comment: lab clients\n", "    comment: lab clients\n    valid-lifetime: 7300\n    renew-timer: 1800\n    rebind-timer: 3600\n    option-data:\n      domain-name: lab.example\n");

        var clock = Stopwatch.StartNew();
        var (code, text) = Deploy(_inventory);
        output.WriteLine($"subnet-settings deploy of two servers: {clock.Elapsed.TotalSeconds:0.00} s (probe included)");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(text, @"Applied .* at runtime, no restart: settings of subnet 1 updated \(subnet_cmds, read back\)"));
        // No hook was reloaded, so the partner's lease updates never failed and no lease sync disabled it.
        Assert.Equal(0, _lastProbe!.Unanswered);
        Assert.True(_lastProbe.Discover.Received > 0, "the probe's clients were answered at all");
        Assert.Equal(pids, LabFixture.Servers.Select(DaemonPid).ToList());
        for (var i = 0; i < LabFixture.Servers.Count; i++)
        {
            // status-get's "reload" counts the seconds since the last reconfiguration: it kept counting.
            var server = LabFixture.Servers[i];
            Assert.True(SecondsSinceReconfiguration(server) >= reloadedBefore[i] + (long)clock.Elapsed.TotalSeconds - 1, $"{server} was reconfigured during the deploy");
            Assert.Equal("load-balancing", HaState(server));
            using var subnet = System.Text.Json.JsonDocument.Parse(KeaShell(server, "subnet4-get", """{ "id": 1 }"""));
            var running = subnet.RootElement[0].GetProperty("arguments").GetProperty("subnet4")[0];
            Assert.Equal(7300, running.GetProperty("valid-lifetime").GetInt32());
            Assert.Equal(1800, running.GetProperty("renew-timer").GetInt32());
            Assert.Contains("lab.example", running.GetProperty("option-data").GetRawText(), StringComparison.Ordinal);
            Assert.Contains("\"valid-lifetime\": 7300", Live(server), StringComparison.Ordinal);
        }

        // The file and the running server agree: deploying again finds nothing to do.
        var (again, againText) = Deploy(_inventory, probe: false);
        Assert.Equal(ExitCodes.Success, again);
        Assert.Equal(2, againText.Split('\n').Count(l => l.Contains("Unchanged", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_subnet_added_with_a_reservation_and_deleted_again_applies_at_runtime_with_no_request_lost()
    {
        // A subnet no lab server has an address in: nothing leases from it, so no lease update ever names it.
        const string Seventh = "  - id: 7\n    subnet: 203.0.113.0/24\n    pools: [203.0.113.10 - 203.0.113.99]\n    reservations:\n      - { hw-address: \"02:00:00:00:77:01\", ip-address: 203.0.113.5, hostname: lab-seven }\n";
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        WaitForLoadBalancing();
        var pids = LabFixture.Servers.Select(DaemonPid).ToList();
        _inventory.Replace("site.yaml", "\nsubnets:\n", "\nsubnets:\n" + Seventh);

        var (code, text) = Deploy(_inventory);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(text, @"Applied .* at runtime, no restart: subnet 7 added; 1 reservation\(s\) added, 0 removed, 0 changed \(subnet_cmds, host_cmds, read back\)"));
        Assert.Equal(0, _lastProbe!.Unanswered);
        foreach (var server in LabFixture.Servers)
        {
            using (var subnet = System.Text.Json.JsonDocument.Parse(KeaShell(server, "subnet4-get", """{ "id": 7 }""")))
            {
                var running = subnet.RootElement[0].GetProperty("arguments").GetProperty("subnet4")[0];
                Assert.Equal("203.0.113.0/24", running.GetProperty("subnet").GetString());
                Assert.Contains("203.0.113.99", running.GetProperty("pools").GetRawText(), StringComparison.Ordinal);
            }

            Assert.Contains("\"ip-address\": \"203.0.113.5\"", KeaShell(server, "reservation-get", """{ "subnet-id": 7, "identifier-type": "hw-address", "identifier": "02:00:00:00:77:01", "operation-target": "memory" }"""), StringComparison.Ordinal);
            Assert.Equal("load-balancing", HaState(server));
        }

        _inventory.Replace("site.yaml", Seventh, string.Empty);
        (code, text) = Deploy(_inventory);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(text, @"Applied .* at runtime, no restart: subnet 7 deleted \(subnet_cmds, read back\)"));
        Assert.Equal(0, _lastProbe!.Unanswered);
        Assert.Equal(pids, LabFixture.Servers.Select(DaemonPid).ToList());
        foreach (var server in LabFixture.Servers)
        {
            Assert.Contains("\"result\": 3", KeaShell(server, "subnet4-get", """{ "id": 7 }"""), StringComparison.Ordinal);
            Assert.Equal("load-balancing", HaState(server));
        }

        var (again, againText) = Deploy(_inventory, probe: false);
        Assert.Equal(ExitCodes.Success, again);
        Assert.Equal(2, againText.Split('\n').Count(l => l.Contains("Unchanged", StringComparison.Ordinal)));
    }

    /// <summary>status-get's "reload": the seconds since the running server last read a config (start, config-reload or config-set).</summary>
    private long SecondsSinceReconfiguration(string server)
    {
        using var answer = System.Text.Json.JsonDocument.Parse(KeaShell(server, "status-get"));
        return answer.RootElement[0].GetProperty("arguments").GetProperty("reload").GetInt64();
    }

    [Fact]
    public void Changing_the_agents_port_deploys_through_the_agents_live_port_and_hands_clients_over()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory, probe: false).ExitCode);
        WaitForLoadBalancing();
        _inventory.Replace("site.yaml", "control-agent:\n  port: 8001\n", "control-agent:\n  port: 8011\n");

        var (code, text) = Deploy(_inventory);

        // Each partner is asked (and hands over) through its agent where it listens: the live 8001 before
        // its own deploy, 8011 after it. Reaching it on the inventory's 8011 too early finds no agent, and
        // the deploy is refused or goes on without a hand-over.
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(text, "Applied .*kea-ctrl-agent.conf.*clients handed over to kea-dhcp-. and back"));
        foreach (var server in LabFixture.Servers)
        {
            Assert.Contains("\"http-port\": 8011", lab.ReadServerFile(server, "/etc/kea/kea-ctrl-agent.conf"), StringComparison.Ordinal);
            Assert.Equal("load-balancing", HaState(server, port: 8011));
            Assert.DoesNotContain("load-balancing", HaState(server), StringComparison.Ordinal);
        }

        var (again, againText) = Deploy(_inventory, probe: false);
        Assert.Equal(ExitCodes.Success, again);
        Assert.Equal(2, againText.Split('\n').Count(l => l.Contains("Unchanged", StringComparison.Ordinal)));

        // Dispose deploys the lab's inventory again: back to 8001, reached on the live 8011 the same way.
    }

    [Fact]
    public void A_runtime_apply_that_fails_on_the_second_server_is_undone_there_and_reloaded_from_the_new_file()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        WaitForLoadBalancing();
        var pids = LabFixture.Servers.Select(DaemonPid).ToList();
        // kea-dhcp-1 (deployed second) already holds, in memory only, a reservation for the device the
        // change adds: its reservation-add fails half-way through, after the subnet's update and the deletes.
        var planted = KeaShell(LabFixture.Server1, "reservation-add", """{ "reservation": { "hw-address": "02:00:00:00:99:03", "ip-address": "198.51.100.219", "subnet-id": 1 }, "operation-target": "memory" }""");
        Assert.Contains("\"result\": 0", planted, StringComparison.Ordinal);
        ChangeLabReservations();
        _inventory.Replace("site.yaml", "    comment: lab clients\n", "    comment: lab clients\n    valid-lifetime: 7300\n    renew-timer: 1800\n    rebind-timer: 3600\n");

        var (code, text) = Deploy(_inventory);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Matches("kea-dhcp-2 +Applied .* at runtime, no restart: settings of subnet 1 updated; 1 reservation\\(s\\) added, 1 removed, 1 changed \\(subnet_cmds, host_cmds, read back\\)", text);
        // The subnet's update and three reservation steps were applied, then undone (subnet4-update of the live
        // subnet last); a reload then reads every subnet and reservation from the new file.
        Assert.Matches("kea-dhcp-1 +Applied .* runtime apply not possible \\(reservation-add \\(add hw-address=02:00:00:00:99:03 in subnet 1\\) failed: .*its 4 applied step\\(s\\) were undone\\): applied kea-dhcp4.conf without a restart \\(config-reload, running config read back\\)", text);
        Assert.Equal(pids, LabFixture.Servers.Select(DaemonPid).ToList());
        WaitForLoadBalancing();
        foreach (var server in LabFixture.Servers)
        {
            Assert.Equal("198.51.100.211", RunningReservation(server, "02:00:00:00:99:01"));
            Assert.Equal("none", RunningReservation(server, "02:00:00:00:99:02"));
            Assert.Equal("198.51.100.203", RunningReservation(server, "02:00:00:00:99:03"));
            using var subnet = System.Text.Json.JsonDocument.Parse(KeaShell(server, "subnet4-get", """{ "id": 1 }"""));
            Assert.Equal(7300, subnet.RootElement[0].GetProperty("arguments").GetProperty("subnet4")[0].GetProperty("valid-lifetime").GetInt32());
        }
    }

    /// <summary>The value of a setting in the config the server runs (config-get through its own kea-shell), as JSON text.</summary>
    private string RunningSetting(string server, string name)
    {
        using var answer = System.Text.Json.JsonDocument.Parse(KeaShell(server, "config-get"));
        return answer.RootElement[0].GetProperty("arguments").GetProperty("Dhcp4").GetProperty(name).GetRawText();
    }

    [Fact]
    public void A_timer_change_is_reloaded_into_each_running_server_after_handing_its_clients_to_its_partner()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        WaitForLoadBalancing();
        var pids = LabFixture.Servers.Select(DaemonPid).ToList();
        _inventory.Replace("site.yaml", "valid-lifetime: 86400", "valid-lifetime: 90010");

        var clock = Stopwatch.StartNew();
        var (code, text) = Deploy(_inventory);
        output.WriteLine($"full deploy of two servers, reloaded with hand-over: {clock.Elapsed.TotalSeconds:0.00} s (probe included)");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(text, @"Applied .*without a restart \(config-reload, running config read back; not at runtime: Dhcp4.valid-lifetime changed, which neither host_cmds nor subnet_cmds apply\) \(clients handed over to kea-dhcp-. and back\)"));
        // No process was restarted: the same kea-dhcp4 runs the new file.
        Assert.Equal(pids, LabFixture.Servers.Select(DaemonPid).ToList());
        Assert.All(LabFixture.Servers, server => Assert.Equal("load-balancing", HaState(server)));
        Assert.All(LabFixture.Servers, server => Assert.Contains("\"valid-lifetime\": 90010", Live(server), StringComparison.Ordinal));
        Assert.All(LabFixture.Servers, server => Assert.Equal("90010", RunningSetting(server, "valid-lifetime")));
        // What a reload still loses, with the partner serving every scope (Kea 3.0.4 restarts its HA service on
        // every reconfiguration, see Reconfiguration): a REQUEST the partner answers in the tens of milliseconds
        // the reloading server's HA listener is down fails its lease update, and Kea drops the ACK; the partner
        // then goes communication-recovery, whose entry serves its own scope only until the hand-over bridges it
        // again, or the lease sync disables it for a few milliseconds, either of which may cost a DISCOVER.
        // Measured over 21 deploys of this change (42 reloads, 14 in one lab and 7 runs of this test): 0 in 11,
        // at most 2 per deploy (REQUESTs at most 2, DISCOVERs at most 1); the restart path it replaces lost 1-3
        // in every one of 6 deploys measured beside it (REQUESTs 1-2, DISCOVERs 0-2).
        Assert.True(_lastProbe!.Unanswered <= 2, _lastProbe.ToString());
        Assert.True(_lastProbe.Discover.Drops <= 1, _lastProbe.ToString());
    }

    [Fact]
    public void The_incident_is_repaired_without_force_a_down_server_beside_a_partner_serving_alone()
    {
        // Partner-down once max-response-delay passes, without waiting for unanswered clients (the probe's
        // perfdhcp does not age its requests' secs field, so Kea would never count them as unacked).
        _inventory.Replace("site.yaml", "max-unacked-clients: 5", "max-unacked-clients: 0");
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        WaitForLoadBalancing();
        // The user's incident: kea-dhcp-2's config names it after kea-dhcp-1, so it cannot start (its HA
        // listener would bind kea-dhcp-1's address), and kea-dhcp-1 ends up serving alone in partner-down.
        BreakServer2AsInTheIncident(Live(LabFixture.Server2).Replace("\"this-server-name\": \"kea-dhcp-2\"", "\"this-server-name\": \"kea-dhcp-1\"", StringComparison.Ordinal));
        var servingPid = DaemonPid(LabFixture.Server1);

        var (code, text) = Deploy(_inventory);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("kea-dhcp-1 answers every client (partner-down); kea-dhcp-2 may be restarted to repair the pair", text, StringComparison.Ordinal);
        Assert.Matches("kea-dhcp-2 +Applied .*clients served by kea-dhcp-1 and back", text);
        Assert.Matches("kea-dhcp-1 +Unchanged", text);
        Assert.Equal(servingPid, DaemonPid(LabFixture.Server1));
        Assert.Contains("\"this-server-name\": \"kea-dhcp-2\"", Live(LabFixture.Server2), StringComparison.Ordinal);
        Assert.All(LabFixture.Servers, server => Assert.Equal("load-balancing", HaState(server)));
    }

    /// <summary>A lease one of the probe's clients holds in the lab subnet, as kea-dhcp-1 reports it: its address and hardware address.</summary>
    private (string Address, string HwAddress) ProbeClientLease()
    {
        var answer = KeaShell(LabFixture.Server1, "lease4-get-all", """{ "subnets": [ 1 ] }""");
        using var document = System.Text.Json.JsonDocument.Parse(answer);
        var leases = document.RootElement[0].GetProperty("arguments").GetProperty("leases").EnumerateArray();
        var lease = leases.First(l => l.GetProperty("state").GetInt32() == 0 && !l.GetProperty("hw-address").GetString()!.StartsWith("02:00:00:00:99", StringComparison.Ordinal));
        return (lease.GetProperty("ip-address").GetString()!, lease.GetProperty("hw-address").GetString()!);
    }

    [Fact]
    public async Task A_reservation_for_an_address_a_client_holds_is_refused_naming_it_shown_by_diff_and_applied_with_allow_leased()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        WaitForLoadBalancing();
        var (address, holder) = ProbeClientLease();
        var before = LabFixture.Servers.Select(Live).ToList();
        _inventory.Replace("site.yaml", "hostname: lab-fixed-2 }\n", $"hostname: lab-fixed-2 }}\n      - {{ hw-address: \"02:00:00:00:99:07\", ip-address: {address}, hostname: lab-taken }}\n");

        var (refused, refusedText) = Deploy(_inventory, probe: false);
        var diffConsole = new StringWriter();
        var diff = await DiffCommand.RunAsync(new DirectoryInfo(_inventory.Folder), OutputFormat.Text, null, null, unified: false, diffConsole, CancellationToken.None);
        output.WriteLine(diffConsole.ToString());

        Assert.Equal(ExitCodes.Failure, refused);
        var named = System.Text.RegularExpressions.Regex.Escape($"{address} is reserved for hw-address=02:00:00:00:99:07 (lab-taken) in subnet 1, but ") + $"kea-dhcp-[12]( and kea-dhcp-[12])? leases? it to hw-address={holder}[^;]* until 20[0-9-]{{8}} [0-9:]{{8}} UTC";
        Assert.Matches(named, refusedText);
        Assert.Matches("kea-dhcp-2 +Refused +lease preflight", refusedText);
        Assert.Matches("kea-dhcp-1 +Refused +lease preflight", refusedText);
        Assert.Equal(before, LabFixture.Servers.Select(Live).ToList());
        Assert.All(LabFixture.Servers, server => Assert.Equal("none", RunningReservation(server, "02:00:00:00:99:07")));
        Assert.All(LabFixture.Servers, server => Assert.Equal(string.Empty, lab.RunOnServer(server, "ls -d /run/lock/keagitops 2>/dev/null").Stdout.Trim()));
        // diff shows what deploy would refuse, and keeps its own exit code (2: changes).
        Assert.Equal(ExitCodes.Changes, diff);
        Assert.Matches("lease preflight: deploy would refuse: " + named, diffConsole.ToString());

        var (allowed, allowedText) = Deploy(_inventory, allowLeased: true);

        Assert.Equal(ExitCodes.Success, allowed);
        Assert.Matches("lease preflight: allowed by --allow-leased: " + named, allowedText);
        Assert.All(LabFixture.Servers, server => Assert.Equal(address, RunningReservation(server, "02:00:00:00:99:07")));
    }

    [Fact]
    public async Task The_incident_replayed_import_names_it_and_a_plain_deploy_repairs_the_pair_without_restarting_the_server_that_serves()
    {
        _inventory.Replace("site.yaml", "max-unacked-clients: 5", "max-unacked-clients: 0");
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        WaitForLoadBalancing();
        // The user's incident: kea-dhcp-2 names itself after kea-dhcp-1 (so it cannot start) and its reservations
        // have drifted: the address kea-dhcp-1 reserves for lab-fixed-1 it gives to another device (the seed's .74).
        var drifted = Live(LabFixture.Server2)
            .Replace("\"this-server-name\": \"kea-dhcp-2\"", "\"this-server-name\": \"kea-dhcp-1\"", StringComparison.Ordinal)
            .Replace("02:00:00:00:99:01", "02:00:00:00:99:05", StringComparison.Ordinal)
            .Replace("lab-fixed-1", "lab-ap", StringComparison.Ordinal);
        BreakServer2AsInTheIncident(drifted);

        // The operator imports the pair as it runs, before trusting any inventory.
        using var imported = new ScratchFolder();
        var importConsole = new StringWriter();
        var servers = LabFixture.Servers.Select(s => $"{s}=root@{LabFixture.Address(s)}:22").ToList();
        var hosts = new ImportCommand.HostOptions(servers, new FileInfo(lab.ClientKeyPath), new FileInfo(lab.KnownHostsPath), "/etc/kea");
        var importCode = await ImportCommand.RunFromHostsAsync(hosts, new DirectoryInfo(imported.Path), null, strict: false, importConsole, CancellationToken.None);
        var report = importConsole.ToString();
        output.WriteLine(report);

        Assert.Equal(ExitCodes.Success, importCode);
        Assert.Contains("kea-dhcp-2: its config names itself \"kea-dhcp-1\" (this-server-name), not kea-dhcp-2", report, StringComparison.Ordinal);
        Assert.Matches(@"198\.51\.100\.201 is reserved for [^\n]*02:00:00:00:99:01 \(lab-fixed-1\) on kea-dhcp-1[^\n]*02:00:00:00:99:05 \(lab-ap\) on kea-dhcp-2", report);

        // As import suggests, one device keeps the address (lab-fixed-1, as kea-dhcp-1 has it) and the other gets a
        // free one; the lab's servers have no systemd, so the inventory names the lab's service commands.
        var reservations = Directory.GetFiles(imported.Path, "*.yaml", SearchOption.AllDirectories).Single(f => File.ReadAllText(f).Contains("02:00:00:00:99:01", StringComparison.Ordinal));
        output.WriteLine($"{reservations}:\n{File.ReadAllText(reservations)}");
        File.AppendAllText(reservations, "- { hw-address: \"02:00:00:00:99:05\", ip-address: 198.51.100.205, hostname: lab-ap }\n");
        var site = Path.Combine(imported.Path, "site.yaml");
        var settings = LabDeploySettings.Replace("\ndeploy:\n", string.Empty, StringComparison.Ordinal);
        var text = File.ReadAllText(site).ReplaceLineEndings("\n");
        File.WriteAllText(site, text.Contains("\ndeploy:\n", StringComparison.Ordinal) ? text.Replace("\ndeploy:\n", "\ndeploy:\n" + settings + "\n", StringComparison.Ordinal) : text + LabDeploySettings + "\n");
        output.WriteLine($"site.yaml:\n{File.ReadAllText(site)}");
        var servingPid = DaemonPid(LabFixture.Server1);

        var clock = Stopwatch.StartNew();
        var (code, deployText) = Deploy(imported.Path);
        output.WriteLine($"incident repair deploy of two servers: {clock.Elapsed.TotalSeconds:0.00} s (probe included)");

        Assert.Equal(ExitCodes.Success, code);
        Assert.DoesNotContain("--force", deployText, StringComparison.Ordinal);
        Assert.Contains("kea-dhcp-1 answers every client (partner-down); kea-dhcp-2 may be restarted to repair the pair", deployText, StringComparison.Ordinal);
        Assert.Matches("kea-dhcp-2 +Applied", deployText);
        Assert.Contains("\"this-server-name\": \"kea-dhcp-2\"", Live(LabFixture.Server2), StringComparison.Ordinal);
        WaitForLoadBalancing();
        foreach (var server in LabFixture.Servers)
        {
            Assert.Equal("198.51.100.201", RunningReservation(server, "02:00:00:00:99:01"));
            Assert.Equal("198.51.100.205", RunningReservation(server, "02:00:00:00:99:05"));
        }

        // kea-dhcp-2 is down: the preflight says it could not ask it, and does not stop the repair for that.
        Assert.Contains("the lease preflight could not ask kea-dhcp-2", deployText, StringComparison.Ordinal);
        // The only server that answered was never restarted: its change (lab-ap's reservation) went in at runtime.
        Assert.Equal(servingPid, DaemonPid(LabFixture.Server1));
        Assert.Matches("kea-dhcp-1 +Applied .* at runtime, no restart", deployText);
        // Not 0 yet: the hand-back from kea-dhcp-1 (partner-down) to the repaired kea-dhcp-2 loses the same one
        // REQUEST the hand-over restart loses (A_timer_change_restarts_each_server_…); 1 of 80 measured, with
        // 9 of 89 DISCOVERs. The hand-over's own work closes it; this bound then tightens to 0.
        Assert.True(_lastProbe!.Request.Drops <= 1, _lastProbe.ToString());
    }

    [Fact]
    public void The_only_server_answering_is_not_restarted_without_force_naming_it()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        lab.RunOnServer(LabFixture.Server2, "kea-lab-service stop isc-kea-dhcp4-server");
        _inventory.Replace("site.yaml", "valid-lifetime: 86400", "valid-lifetime: 90011");
        var pid = DaemonPid(LabFixture.Server1);

        var (unnamed, unnamedText) = Deploy(_inventory, force: true, probe: false);
        var (refused, refusedText) = Deploy(_inventory, server: LabFixture.Server1, probe: false);

        Assert.Equal(ExitCodes.Failure, unnamed);
        Assert.Contains("--force applies to one server: name it with --server NAME", unnamedText, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, refused);
        Assert.Contains("kea-dhcp-1 is the only server answering DHCP clients", refusedText, StringComparison.Ordinal);
        Assert.Equal(pid, DaemonPid(LabFixture.Server1));
        Assert.DoesNotContain("90011", Live(LabFixture.Server1), StringComparison.Ordinal);
    }

    [Fact]
    public void Deploy_brings_both_servers_to_load_balancing_with_their_own_identity()
    {
        // A global setting: a subnet's would be applied at runtime, whose uploads run on both servers at once.
        _inventory.Replace("site.yaml", "valid-lifetime: 86400", "valid-lifetime: 90012");

        var (code, text) = Deploy(_inventory);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Applied", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("kea-dhcp-2: upload", StringComparison.Ordinal) < text.IndexOf("kea-dhcp-1: upload", StringComparison.Ordinal), "the secondary is deployed before the primary");
        foreach (var server in LabFixture.Servers)
        {
            var live = Live(server);
            Assert.Contains("\"valid-lifetime\": 90012", live, StringComparison.Ordinal);
            Assert.Contains($"\"this-server-name\": \"{server}\"", live, StringComparison.Ordinal);
            Assert.Equal("load-balancing", HaState(server));
        }
    }

    [Fact]
    public void A_second_deploy_with_nothing_changed_restarts_nothing_within_a_generous_bound()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        var pids = LabFixture.Servers.Select(DaemonPid).ToList();

        var clock = Stopwatch.StartNew();
        var (code, text) = Deploy(_inventory);
        output.WriteLine($"no-op deploy of two servers: {clock.Elapsed.TotalSeconds:0.00} s");

        // The target (under 1 s) is measured by the benchmark; a test only catches a step that waits
        // or restarts where nothing changed, with room for a loaded CI machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"a no-op deploy took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(2, text.Split('\n').Count(l => l.Contains("Unchanged", StringComparison.Ordinal)));
        Assert.Equal(pids, LabFixture.Servers.Select(DaemonPid).ToList());
    }

    [Fact]
    public void Dry_run_reports_changes_with_exit_2_and_changes_nothing()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        var before = LabFixture.Servers.Select(Live).ToList();
        _inventory.Replace("site.yaml", "valid-lifetime: 86400", "valid-lifetime: 90000");

        var (code, text) = Deploy(_inventory, dryRun: true);

        Assert.Equal(ExitCodes.Changes, code);
        Assert.Contains("WouldChange", text, StringComparison.Ordinal);
        Assert.Equal(before, LabFixture.Servers.Select(Live).ToList());
    }

    [Fact]
    public void A_config_the_servers_Kea_rejects_never_reaches_the_live_file_and_the_primary_is_not_touched()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        var before = LabFixture.Servers.Select(Live).ToList();
        var pids = LabFixture.Servers.Select(DaemonPid).ToList();
        // A subnet bound to an interface the server does not have: a valid inventory, refused by the server's Kea.
        // A subnet's change is applied at runtime, whose upload and test run on both servers before either
        // turn: both are refused there, neither file replaced.
        _inventory.Replace("site.yaml", "    comment: lab clients\n", "    comment: lab clients\n    interface: eth9\n");

        var (code, text) = Deploy(_inventory);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Matches("kea-dhcp-2  Refused .*Kea's config test rejected the new kea-dhcp4.conf; the live config is untouched. Kea said: .*eth9", text);
        Assert.Matches("kea-dhcp-1  Refused .*Kea's config test rejected the new kea-dhcp4.conf; the live config is untouched", text);
        Assert.Equal(before, LabFixture.Servers.Select(Live).ToList());
        Assert.Equal(pids, LabFixture.Servers.Select(DaemonPid).ToList());
        Assert.Empty(lab.RunOnServer(LabFixture.Server2, "ls /etc/kea/*.keagitops-new 2>/dev/null").Stdout.Trim());
    }

    [Fact]
    public void A_failing_restart_is_rolled_back_to_the_previous_config_which_runs_again()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        var before = Live(LabFixture.Server2);
        // The restart fails only while the new config (with its marker) is in place, as a broken daemon would.
        // The agent moves too, so that only a restart applies the change (a DHCPv4-only change is reloaded).
        _inventory.Replace("site.yaml", "comment: home LAN", "comment: break-the-restart");
        _inventory.Replace("site.yaml", "control-agent:\n  port: 8001\n", "control-agent:\n  port: 8011\n");
        _inventory.Replace("site.yaml", "restart-command: kea-lab-service restart isc-kea-dhcp4-server", "restart-command: \"! grep -q break-the-restart /etc/kea/kea-dhcp4.conf && kea-lab-service restart isc-kea-dhcp4-server\"");

        var (code, text) = Deploy(_inventory);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("RolledBack", text, StringComparison.Ordinal);
        Assert.Contains("the restart command failed", text, StringComparison.Ordinal);
        Assert.Equal(before, Live(LabFixture.Server2));
        Assert.Equal("load-balancing", HaState(LabFixture.Server2));
        Assert.DoesNotContain("break-the-restart", Live(LabFixture.Server1), StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_starts_but_never_gets_healthy_HA_is_rolled_back()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        var before = Live(LabFixture.Server2);
        // Only kea-dhcp-2 gets the new config: its HA talks to port 8010 while kea-dhcp-1 listens on 8000.
        _inventory.Replace("site.yaml", "  port: 8000", "  port: 8010");
        _inventory.Replace("site.yaml", "ha-timeout: 30", "ha-timeout: 12");

        var (code, text) = Deploy(_inventory, server: LabFixture.Server2);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("RolledBack", text, StringComparison.Ordinal);
        Assert.Contains("not healthy within 12 s", text, StringComparison.Ordinal);
        Assert.Equal(before, Live(LabFixture.Server2));
        Assert.Equal("load-balancing", HaState(LabFixture.Server2));
    }

    [Fact]
    public void A_deploy_is_refused_while_another_holds_the_lock_and_says_who()
    {
        lab.RunOnServer(LabFixture.Server2, "mkdir -p /run/lock/keagitops && echo 'alice@laptop pid 4242' > /run/lock/keagitops/owner");
        _inventory.Replace("site.yaml", "valid-lifetime: 86400", "valid-lifetime: 90001");

        var (code, text) = Deploy(_inventory);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("alice@laptop pid 4242", text, StringComparison.Ordinal);
        Assert.DoesNotContain("90001", Live(LabFixture.Server2), StringComparison.Ordinal);
        Assert.DoesNotContain("90001", Live(LabFixture.Server1), StringComparison.Ordinal);
    }

    [Fact]
    public void A_partner_that_is_down_blocks_the_restart_unless_forced()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        lab.RunOnServer(LabFixture.Server1, "kea-lab-service stop isc-kea-dhcp4-server");
        _inventory.Replace("site.yaml", "valid-lifetime: 86400", "valid-lifetime: 90002");

        var (refusedCode, refused) = Deploy(_inventory, server: LabFixture.Server2);
        Assert.Equal(ExitCodes.Failure, refusedCode);
        Assert.Contains("kea-dhcp-2 is the only server answering DHCP clients", refused, StringComparison.Ordinal);
        Assert.Contains("--force --server kea-dhcp-2", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("90002", Live(LabFixture.Server2), StringComparison.Ordinal);

        _inventory.Replace("site.yaml", "ha-timeout: 30", "ha-timeout: 5");
        var (forcedCode, forced) = Deploy(_inventory, server: LabFixture.Server2, force: true);
        // With its partner down, kea-dhcp-2 cannot reach a shared HA state: forced, it must run and
        // answer on its control channel, and then it serves alone.
        Assert.Equal(ExitCodes.Success, forcedCode);
        Assert.Contains("partner down: HA cannot be healthy", forced, StringComparison.Ordinal);
        Assert.Contains("90002", Live(LabFixture.Server2), StringComparison.Ordinal);
        Assert.Equal("active", lab.RunOnServer(LabFixture.Server2, "kea-lab-service is-active isc-kea-dhcp4-server").Stdout.Trim());
    }

    [Fact]
    public void A_changed_host_key_is_refused_before_any_change_with_its_fingerprint()
    {
        var knownHosts = File.ReadAllText(lab.KnownHostsPath);
        var otherKeys = Path.Combine(Path.GetTempPath(), "keagitops-other-" + Guid.NewGuid().ToString("N"));
        try
        {
            var keygen = lab.RunProcess("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", otherKeys], TimeSpan.FromSeconds(20));
            Assert.Equal(0, keygen.ExitCode);
            var impostor = File.ReadAllText(otherKeys + ".pub").Split(' ');
            var tampered = string.Join('\n', knownHosts.Split('\n').Select(line =>
                line.StartsWith(LabFixture.Address(LabFixture.Server2) + " ssh-ed25519 ", StringComparison.Ordinal) ? $"{LabFixture.Address(LabFixture.Server2)} ssh-ed25519 {impostor[1]}" : line));
            var tamperedPath = Path.Combine(_inventory.Folder, "known_hosts");
            File.WriteAllText(tamperedPath, tampered);
            _inventory.Replace("site.yaml", $"known-hosts: {lab.KnownHostsPath}", $"known-hosts: {tamperedPath}");
            _inventory.Replace("site.yaml", "valid-lifetime: 86400", "valid-lifetime: 90003");
            var before = LabFixture.Servers.Select(Live).ToList();

            var (code, text) = Deploy(_inventory);

            Assert.Equal(ExitCodes.Failure, code);
            Assert.Contains("SHA256:", text, StringComparison.Ordinal);
            Assert.Contains("CHANGED", text, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(before, LabFixture.Servers.Select(Live).ToList());
        }
        finally
        {
            File.Delete(otherKeys);
            File.Delete(otherKeys + ".pub");
        }
    }

    /// <summary>
    /// Runs the real keagitops process (as a terminal or a CI runner does) and sends it
    /// <paramref name="signal"/> once its progress shows <paramref name="trigger"/>. Bounded: a process that
    /// does not end within two minutes fails the test (and is killed).
    /// </summary>
    private (int ExitCode, string Output) DeployAndSignal(string trigger, string signal)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryLayout.Root };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "keagitops.dll"), "deploy", "--inventory", _inventory.Folder })
        {
            start.ArgumentList.Add(argument);
        }

        using var probe = DhcpProbe.Start();
        using var process = Process.Start(start)!;
        var text = new System.Text.StringBuilder();
        var signalled = false;
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                lock (text)
                {
                    text.AppendLine(line);
                }

                if (!signalled && line.Contains(trigger, StringComparison.Ordinal))
                {
                    signalled = true;
                    var kill = lab.RunProcess("kill", ["-s", signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
                    Assert.Equal(0, kill.ExitCode);
                }
            }

            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "keagitops did not end within two minutes of the signal");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var all = text + error.Result;
        output.WriteLine(all);
        output.WriteLine(probe.StopAsync().GetAwaiter().GetResult().ToString());
        Assert.True(signalled, $"the deploy never reached '{trigger}'");
        Assert.NotEqual(130, process.ExitCode); // 128 + SIGINT: the runtime's default, which the deploy must never take
        Assert.NotEqual(143, process.ExitCode); // 128 + SIGTERM
        return (process.ExitCode, all);
    }

    private void AssertNoLockAndBothHealthy()
    {
        foreach (var server in LabFixture.Servers)
        {
            Assert.Equal(string.Empty, lab.RunOnServer(server, "ls -d /run/lock/keagitops 2>/dev/null").Stdout.Trim());
        }

        var deadline = Stopwatch.StartNew();
        while (LabFixture.Servers.Any(s => HaState(s) != "load-balancing") && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            Thread.Sleep(500);
        }

        Assert.All(LabFixture.Servers, server => Assert.Equal("load-balancing", HaState(server)));
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public void A_signal_before_the_replacement_stops_the_deploy_with_every_live_config_unchanged(string signal)
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        var before = LabFixture.Servers.Select(Live).ToList();
        _inventory.Replace("site.yaml", "valid-lifetime: 86400", "valid-lifetime: 90006");
        // A slow config test holds the deploy in the step before the replacement while the signal arrives.
        _inventory.Replace("site.yaml", "restart-command: kea-lab-service restart isc-kea-dhcp4-server", "restart-command: kea-lab-service restart isc-kea-dhcp4-server\n  config-test-command: \"sleep 2; kea-dhcp4 -t\"");

        var (code, text) = DeployAndSignal("kea-dhcp-2: upload and test", signal);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("interrupted", text, StringComparison.Ordinal);
        Assert.Contains("NotAttempted", text, StringComparison.Ordinal);
        Assert.Equal(before, LabFixture.Servers.Select(Live).ToList());
        Assert.Empty(lab.RunOnServer(LabFixture.Server2, "ls /etc/kea/*.keagitops-new 2>/dev/null").Stdout.Trim());
        AssertNoLockAndBothHealthy();
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public void A_signal_after_the_replacement_finishes_that_server_and_touches_no_other(string signal)
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        var primaryBefore = Live(LabFixture.Server1);
        _inventory.Replace("site.yaml", "valid-lifetime: 86400", "valid-lifetime: 90007");

        // The signal arrives as kea-dhcp-2 reloads its replaced file: the wait for its HA (a heartbeat or more) follows.
        var (code, text) = DeployAndSignal("kea-dhcp-2: reconfigure", signal);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Matches(@"kea-dhcp-2\s+Applied", text);
        Assert.Matches(@"kea-dhcp-1\s+NotAttempted", text);
        Assert.Contains("\"valid-lifetime\": 90007", Live(LabFixture.Server2), StringComparison.Ordinal);
        Assert.Equal(primaryBefore, Live(LabFixture.Server1));
        AssertNoLockAndBothHealthy();
    }

    /// <summary>
    /// A hand-written kea-dhcp4.conf with settings operators use that keagitops has no typed key for (raw
    /// sockets, the lease file, multi-threading and HA thread tuning, sync-timeout, a subnet's interface,
    /// logger rotation): the lab's subnet as the seed has it, so the pair stays in load-balancing.
    /// </summary>
    private static string HandWrittenDhcp4(string server) => $$"""
        {
          // written by hand, never by keagitops
          "Dhcp4": {
            "interfaces-config": { "interfaces": [ "eth0" ], "dhcp-socket-type": "raw" },
            "control-socket": { "socket-type": "unix", "socket-name": "kea4-ctrl-socket" },
            "lease-database": { "type": "memfile", "persist": true, "name": "/var/lib/kea/kea-leases4.csv", "lfc-interval": 3600 },
            "multi-threading": { "enable-multi-threading": true, "thread-pool-size": 4, "packet-queue-size": 64 },
            "valid-lifetime": 3600,
            "hooks-libraries": [
              { "library": "libdhcp_lease_cmds.so" },
              { "library": "libdhcp_ha.so", "parameters": { "high-availability": [ {
                "this-server-name": "{{server}}", "mode": "load-balancing",
                "heartbeat-delay": 1000, "max-response-delay": 6000, "max-ack-delay": 5000, "max-unacked-clients": 5, "sync-timeout": 30000,
                "multi-threading": { "enable-multi-threading": true, "http-dedicated-listener": true, "http-listener-threads": 4, "http-client-threads": 4 },
                "peers": [
                  { "name": "kea-dhcp-1", "url": "http://{{LabFixture.Address(LabFixture.Server1)}}:8000/", "role": "primary", "auto-failover": true },
                  { "name": "kea-dhcp-2", "url": "http://{{LabFixture.Address(LabFixture.Server2)}}:8000/", "role": "secondary", "auto-failover": true } ] } ] } }
            ],
            "subnet4": [ { "id": 1, "subnet": "198.51.100.0/24", "interface": "eth0",
              "pools": [ { "pool": "198.51.100.10 - 198.51.100.69", "client-classes": [ "HA_kea-dhcp-1" ] }, { "pool": "198.51.100.70 - 198.51.100.129", "client-classes": [ "HA_kea-dhcp-2" ] } ],
              "option-data": [ { "name": "routers", "data": "198.51.100.1" } ] } ],
            "loggers": [ { "name": "kea-dhcp4", "severity": "INFO", "output-options": [ { "output": "/var/log/kea/kea-dhcp4.log", "maxsize": 10485760, "maxver": 4 } ] } ]
          }
        }
        """;

    /// <summary>The agent config the lab starts with, but listening on the server's own address (each agent binds its own).</summary>
    private string AgentOnOwnAddress(string server) =>
        lab.ReadServerFile(server, "/etc/kea/kea-ctrl-agent.conf").Replace("\"http-host\": \"127.0.0.1\"", $"\"http-host\": \"{LabFixture.Address(server)}\"", StringComparison.Ordinal);

    [Fact]
    public async Task A_hand_written_pair_imports_and_deploys_unchanged_with_each_agent_on_its_own_address()
    {
        var seedAgents = LabFixture.Servers.ToDictionary(s => s, s => lab.ReadServerFile(s, "/etc/kea/kea-ctrl-agent.conf"));
        try
        {
            foreach (var server in LabFixture.Servers)
            {
                WriteServerFile(server, LiveDhcp4, HandWrittenDhcp4(server));
                WriteServerFile(server, "/etc/kea/kea-ctrl-agent.conf", AgentOnOwnAddress(server));
                var restarted = lab.RunOnServer(server, "kea-lab-service restart isc-kea-dhcp4-server && kea-lab-service restart isc-kea-ctrl-agent");
                Assert.True(restarted.ExitCode == 0, restarted.ToString());
            }

            WaitForLoadBalancing(viaOwnAddress: true);

            // import --server, as a new user would, then the lab's service shim and no host_cmds or subnet_cmds
            // (these servers do not load them: they would be the one deliberate difference).
            using var imported = new ScratchFolder();
            var console = new StringWriter();
            var servers = LabFixture.Servers.Select(s => $"{s}=root@{LabFixture.Address(s)}").ToList();
            var importCode = await ImportCommand.RunFromHostsAsync(new ImportCommand.HostOptions(servers, new FileInfo(lab.ClientKeyPath), new FileInfo(lab.KnownHostsPath), null), new DirectoryInfo(imported.Path), null, strict: true, console, CancellationToken.None);
            output.WriteLine(console.ToString());
            Assert.Equal(ExitCodes.Success, importCode);
            Assert.Contains("- nothing: every key was mapped", console.ToString(), StringComparison.Ordinal);
            var site = Path.Combine(imported.Path, "site.yaml");
            await File.AppendAllTextAsync(site, LabDeploySettings.Replace("  ha-timeout: 30", "  ha-timeout: 30\n  runtime-changes: false", StringComparison.Ordinal));
            Assert.Contains($"control-agent: {{ host: \"{LabFixture.Address(LabFixture.Server1)}\" }}", await File.ReadAllTextAsync(site), StringComparison.Ordinal);

            var diffConsole = new StringWriter();
            var diffCode = await DiffCommand.RunAsync(new DirectoryInfo(imported.Path), OutputFormat.Text, null, null, unified: false, diffConsole, CancellationToken.None, exact: true);
            output.WriteLine(diffConsole.ToString());
            Assert.Equal(ExitCodes.Success, diffCode);
            Assert.Equal(4, System.Text.RegularExpressions.Regex.Count(diffConsole.ToString(), ": no changes"));

            var pids = LabFixture.Servers.ToDictionary(s => s, DaemonPid);
            var deployConsole = new StringWriter();
            var deployCode = await DeployCommand.RunAsync(new DirectoryInfo(imported.Path), OutputFormat.Text, null, null, dryRun: false, force: false, deployConsole, CancellationToken.None);
            output.WriteLine(deployConsole.ToString());
            Assert.Equal(ExitCodes.Success, deployCode);
            Assert.All(LabFixture.Servers, s => Assert.Equal(pids[s], DaemonPid(s)));
            Assert.All(LabFixture.Servers, s => Assert.Contains("\"sync-timeout\": 30000", Live(s), StringComparison.Ordinal));
            Assert.All(LabFixture.Servers, s => Assert.Contains($"\"http-host\": \"{LabFixture.Address(s)}\"", lab.ReadServerFile(s, "/etc/kea/kea-ctrl-agent.conf"), StringComparison.Ordinal));
            WaitForLoadBalancing(viaOwnAddress: true);
        }
        finally
        {
            // The other tests reach the agents on 127.0.0.1, as the lab starts.
            foreach (var server in LabFixture.Servers)
            {
                WriteServerFile(server, "/etc/kea/kea-ctrl-agent.conf", seedAgents[server]);
                lab.RunOnServer(server, "kea-lab-service restart isc-kea-ctrl-agent");
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> on a server as Kea's packaging keeps its files (root:_kea 0640).</summary>
    private void WriteServerFile(string server, string path, string text)
    {
        var base64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
        var quoted = "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        var written = lab.RunOnServer(server, $"echo {base64} | base64 -d > {quoted} && chown root:_kea {quoted} && chmod 0640 {quoted}");
        Assert.True(written.ExitCode == 0, written.ToString());
    }

    [Fact]
    public async Task Diff_and_deploy_read_an_included_file_whose_path_holds_a_colon_over_ssh()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        var whole = lab.ReadServerFile(LabFixture.Server1, LiveDhcp4);
        using (var parsed = System.Text.Json.JsonDocument.Parse(whole))
        {
            // The subnets move into an included file whose absolute path holds a ':', as an operator may name one.
            var subnets = parsed.RootElement.GetProperty("Dhcp4").GetProperty("subnet4").GetRawText();
            Assert.Contains(subnets, whole, StringComparison.Ordinal);
            WriteServerFile(LabFixture.Server1, "/etc/kea/site:subnets.json", subnets);
            WriteServerFile(LabFixture.Server1, LiveDhcp4, whole.Replace(subnets, "<?include \"/etc/kea/site:subnets.json\"?>", StringComparison.Ordinal));
        }

        try
        {
            var pid = DaemonPid(LabFixture.Server1);
            var console = new StringWriter();

            var code = await DiffCommand.RunAsync(new DirectoryInfo(_inventory.Folder), OutputFormat.Text, null, LabFixture.Server1, unified: false, console, CancellationToken.None);
            var (deployCode, deployText) = Deploy(_inventory, LabFixture.Server1);

            output.WriteLine(console.ToString() + deployText);
            Assert.Equal(ExitCodes.Success, code);
            Assert.Contains("kea-dhcp-1: /etc/kea/kea-dhcp4.conf: no changes", console.ToString(), StringComparison.Ordinal);
            Assert.Equal(ExitCodes.Success, deployCode);
            Assert.Contains("<?include", lab.ReadServerFile(LabFixture.Server1, LiveDhcp4), StringComparison.Ordinal);
            Assert.Equal(pid, DaemonPid(LabFixture.Server1));
        }
        finally
        {
            WriteServerFile(LabFixture.Server1, LiveDhcp4, whole);
            lab.RunOnServer(LabFixture.Server1, "rm -f '/etc/kea/site:subnets.json'");
        }
    }

    [Fact]
    public async Task Diff_shows_the_changed_paths_per_server_and_exits_2()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        _inventory.Replace("site.yaml", "valid-lifetime: 86400", "valid-lifetime: 90004");
        var console = new StringWriter();

        var code = await DiffCommand.RunAsync(new DirectoryInfo(_inventory.Folder), OutputFormat.Text, null, null, unified: true, console, CancellationToken.None);

        output.WriteLine(console.ToString());
        Assert.Equal(ExitCodes.Changes, code);
        Assert.Contains("kea-dhcp-1: /etc/kea/kea-dhcp4.conf: 1 change(s)", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("~ Dhcp4.valid-lifetime: 86400 -> 90004", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("+    \"valid-lifetime\": 90004,", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("kea-dhcp-2: /etc/kea/kea-ctrl-agent.conf: no changes", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("kea-dhcp-1: runs a config rendered from an unknown commit (rendered outside git), not edited since", console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_that_drops_mid_deploy_leaves_no_partial_file_in_place()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        var before = LabFixture.Servers.Select(Live).ToList();
        // The config test step ends every SSH session on kea-dhcp-2 (its listener survives), as a network drop would.
        _inventory.Replace("site.yaml", "valid-lifetime: 86400", "valid-lifetime: 90005");
        _inventory.Replace("site.yaml", "restart-command: kea-lab-service restart isc-kea-dhcp4-server", "restart-command: kea-lab-service restart isc-kea-dhcp4-server\n  config-test-command: \"pkill -f 'sshd(-session)?: root' ; kea-dhcp4 -t\"");

        var (code, text) = Deploy(_inventory);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("kea-dhcp-2", text, StringComparison.Ordinal);
        Assert.Equal(before, LabFixture.Servers.Select(Live).ToList());
        Assert.Equal("load-balancing", HaState(LabFixture.Server2));
    }

    [Fact]
    public void A_server_whose_inventory_address_is_not_its_own_is_refused_before_any_change()
    {
        Assert.Equal(ExitCodes.Success, Deploy(_inventory).ExitCode);
        var before = LabFixture.Servers.Select(Live).ToList();
        // The user's incident in another guise: the config would make kea-dhcp-2's HA listener bind an
        // address the host does not have. Kea's config test passes such a config; the host check does not.
        _inventory.Replace("site.yaml", $"address: {LabFixture.Address(LabFixture.Server2)}", $"address: 198.51.100.135\n    ssh: {{ host: {LabFixture.Address(LabFixture.Server2)} }}");

        var (code, text) = Deploy(_inventory);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("host facts", text, StringComparison.Ordinal);
        Assert.Contains("198.51.100.135 (this server's address in the inventory, the host of its HA peer URL) is not assigned", text, StringComparison.Ordinal);
        Assert.Equal(before, LabFixture.Servers.Select(Live).ToList());
    }

    [Fact]
    public async Task An_unknown_host_key_is_refused_with_its_fingerprint_and_the_line_to_add()
    {
        var onlyServer1 = Path.Combine(_inventory.Folder, "known_hosts");
        await File.WriteAllLinesAsync(onlyServer1, File.ReadAllLines(lab.KnownHostsPath).Where(l => l.StartsWith(LabFixture.Address(LabFixture.Server1) + " ", StringComparison.Ordinal)));
        _inventory.Replace("site.yaml", $"known-hosts: {lab.KnownHostsPath}", $"known-hosts: {onlyServer1}");
        var console = new StringWriter();

        var code = await DiffCommand.RunAsync(new DirectoryInfo(_inventory.Folder), OutputFormat.Text, null, LabFixture.Server2, unified: false, console, CancellationToken.None);

        output.WriteLine(console.ToString());
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("kea-dhcp-2: connect:", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("SHA256:", console.ToString(), StringComparison.Ordinal);
        Assert.Contains($"add this line: {LabFixture.Address(LabFixture.Server2)} ssh-ed25519 AAAA", console.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A pool restricted to a class, on the wire: the lab's subnet gets a pool only clients of the class
    /// lab-phones (a MAC starting 0e:0e) may use and one for every other client, each split between the
    /// servers like every pool. Real clients of
    /// the class, and real clients outside it, ask both servers (perfdhcp, DISCOVER to ACK); the leases Kea
    /// gives show that each kind got addresses only from its own pools, and that both servers served the
    /// class from their halves of its pool.
    /// </summary>
    [Fact]
    public void A_pool_restricted_to_a_class_serves_that_class_only_from_both_servers_halves()
    {
        // Kea gives a client the first pool it may use, so the other clients' pool is restricted too (ISC's phones and laptops).
        _inventory.Replace("site.yaml", "      - 198.51.100.10 - 198.51.100.129\n",
            "      - { pool: 198.51.100.10 - 198.51.100.129, client-classes: [ lab-others ] }\n      - { pool: 198.51.100.140 - 198.51.100.179, client-classes: [ lab-phones ] }\n");
        _inventory.Replace("site.yaml", "subnets:\n", "client-classes:\n  - { name: lab-phones, test: \"substring(pkt4.mac, 0, 2) == 0x0e0e\" }\n  - { name: lab-others, test: \"not member('lab-phones')\" }\nsubnets:\n");
        Assert.Equal(ExitCodes.Success, Deploy(_inventory, probe: false).ExitCode);
        WaitForLoadBalancing();

        Ask("0e:0e:00:00:00:00"); // in the class
        Ask("0a:0a:00:00:00:00"); // outside it

        var leases = System.Text.Json.JsonDocument.Parse(KeaShell(LabFixture.Server1, "lease4-get-all", """{ "subnets": [ 1 ] }""")).RootElement[0]
            .GetProperty("arguments").GetProperty("leases").EnumerateArray()
            .Select(l => (Mac: l.GetProperty("hw-address").GetString()!, Address: System.Net.IPAddress.Parse(l.GetProperty("ip-address").GetString()!).GetAddressBytes()[3]))
            .ToList();
        output.WriteLine(string.Join("\n", leases.Select(l => $"{l.Mac} 198.51.100.{l.Address}")));
        var phones = leases.Where(l => l.Mac.StartsWith("0e:0e:", StringComparison.Ordinal)).ToList();
        var others = leases.Where(l => l.Mac.StartsWith("0a:0a:", StringComparison.Ordinal)).ToList();
        Assert.True(phones.Count >= 10, $"only {phones.Count} clients of the class got a lease");
        Assert.True(others.Count >= 10, $"only {others.Count} clients outside the class got a lease");
        Assert.All(phones, l => Assert.InRange(l.Address, 140, 179));
        Assert.All(others, l => Assert.InRange(l.Address, 10, 129));
        // Each server serves its half of the class's pool (load-balancing by MAC): both halves were used.
        Assert.Contains(phones, l => l.Address <= 159);
        Assert.Contains(phones, l => l.Address >= 160);
    }

    [Fact]
    public void A_shared_network_gives_clients_on_its_link_the_addresses_of_its_other_subnet_from_both_servers()
    {
        // The lab's subnet becomes one of a shared network with a second subnet the servers have no address in; its own
        // pool is tiny (and mostly held by earlier tests' clients), so new clients can only be served from the second.
        _inventory.Replace("site.yaml", LabSubnet, string.Empty);
        _inventory.Append("site.yaml", """

            shared-networks:
              - name: lab-link
                subnets:
                  - id: 1
                    subnet: 198.51.100.0/24
                    comment: lab clients
                    pools: [198.51.100.10 - 198.51.100.15]
                    reservations:
                      - { hw-address: "02:00:00:00:99:01", ip-address: 198.51.100.201, hostname: lab-fixed-1 }
                      - { hw-address: "02:00:00:00:99:02", ip-address: 198.51.100.202, hostname: lab-fixed-2 }
                  - id: 2
                    subnet: 203.0.113.0/24
                    pools: [203.0.113.10 - 203.0.113.200]

            """);
        Assert.Equal(ExitCodes.Success, Deploy(_inventory, probe: false).ExitCode);
        WaitForLoadBalancing();
        try
        {
            Ask("0c:0c:00:00:00:00");

            var leases = LeasesOf(2);
            output.WriteLine(string.Join("\n", leases.Select(l => $"{l.Mac} {l.Address}")));
            var fromTheOtherSubnet = leases.Where(l => l.Mac.StartsWith("0c:0c:", StringComparison.Ordinal)).Select(l => System.Net.IPAddress.Parse(l.Address).GetAddressBytes()).ToList();
            Assert.True(fromTheOtherSubnet.Count >= 10, $"only {fromTheOtherSubnet.Count} clients got an address of the network's second subnet");
            Assert.All(fromTheOtherSubnet, a => Assert.InRange(a[3], 10, 200));
            // Both servers serve their half of the second subnet's pool (load-balancing by MAC).
            Assert.Contains(fromTheOtherSubnet, a => a[3] <= 105);
            Assert.Contains(fromTheOtherSubnet, a => a[3] >= 106);
            Assert.All(LeasesOf(1).Where(l => l.Mac.StartsWith("0c:0c:", StringComparison.Ordinal)), l => Assert.InRange(System.Net.IPAddress.Parse(l.Address).GetAddressBytes()[3], 10, 15));
        }
        finally
        {
            // The clean inventory has no subnet 2: its leases go first, or a partner would be sent leases of a subnet it lacks.
            foreach (var (_, address) in LeasesOf(2))
            {
                KeaShell(LabFixture.Server1, "lease4-del", $$"""{ "ip-address": "{{address}}" }""");
            }
        }
    }

    private List<(string Mac, string Address)> LeasesOf(long subnet) =>
        System.Text.Json.JsonDocument.Parse(KeaShell(LabFixture.Server1, "lease4-get-all", $$"""{ "subnets": [ {{subnet}} ] }""")).RootElement[0]
            .GetProperty("arguments").GetProperty("leases").EnumerateArray()
            .Select(l => (l.GetProperty("hw-address").GetString()!, l.GetProperty("ip-address").GetString()!))
            .ToList();

    /// <summary>30 clients from the lab's client namespace, MACs from <paramref name="baseMac"/> on, each through DISCOVER to ACK; bounded by perfdhcp's -p and a timeout.</summary>
    private void Ask(string baseMac)
    {
        var run = ExternalProgram.Run("timeout", "60", "ip", "netns", "exec", "kgo-c", "perfdhcp", "-4", "-l", "eth0", "-r", "20", "-R", "30", "-n", "30", "-p", "20", "-b", "mac=" + baseMac);
        output.WriteLine($"perfdhcp from {baseMac} (exit {run.ExitCode}):\n{run.Text}{run.Stderr}");
    }

    /// <summary>
    /// Multi-threading off (issue 9): Kea then runs no HA listener of its own, and the rendered pair reaches
    /// load-balancing through its Control Agents, each on its server's address at the HA port, with the
    /// agents' credentials; DHCP clients get answers. (Put in place by hand, both daemons stopped first: deploy
    /// restarts the agent before the server, and going from multi-threading on to off, the new agent would need
    /// the port the running server's HA listener still holds. The cleanup deploy goes back the other way.)
    /// </summary>
    [Fact]
    public async Task A_pair_without_multi_threading_reaches_load_balancing_through_its_agents()
    {
        using var inventory = CreateInventory(lab);
        inventory.Replace("site.yaml", "control-agent:\n  port: 8001\n", "control-agent:\n  port: 8000\n");
        foreach (var server in LabFixture.Servers)
        {
            var address = LabFixture.Address(server);
            inventory.Replace("site.yaml", $"    address: {address}\n", $"    address: {address}\n    control-agent: {{ host: {address} }}\n");
        }

        inventory.Append("site.yaml", "\nmulti-threading: { enable-multi-threading: false }\n");

        // Each peer gives its partner's agent the password of its own copy of the file: the lab makes one per server, a pair going through its agents needs one password.
        WriteServerFile(LabFixture.Server2, "/etc/kea/kea-api-password", lab.ReadServerFile(LabFixture.Server1, "/etc/kea/kea-api-password"));
        try
        {
            PutInPlaceByHand(inventory);
            var deadline = Stopwatch.StartNew();
            while (LabFixture.Servers.Any(s => HaState(s, viaOwnAddress: true, port: 8000) != "load-balancing") && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(300);
            }

            foreach (var server in LabFixture.Servers)
            {
                output.WriteLine($"{server}: {HaState(server, viaOwnAddress: true, port: 8000)}\n{lab.RunOnServer(server, "ss -ltnp; tail -n 25 /var/log/kea/*dhcp4*; tail -n 10 /var/log/kea/*agent*").Stdout}");
            }

            foreach (var server in LabFixture.Servers)
            {
                Assert.Equal("load-balancing", HaState(server, viaOwnAddress: true, port: 8000));
                Assert.Contains("\"enable-multi-threading\": false", Live(server), StringComparison.Ordinal);

                // Port 8000 is the agent's: the DHCPv4 server listens on no TCP port of its own.
                var listening = lab.RunOnServer(server, "ss -ltnp").Stdout.Split('\n');
                Assert.Contains(listening, line => line.Contains($"{LabFixture.Address(server)}:8000", StringComparison.Ordinal) && line.Contains("kea-ctrl-agent", StringComparison.Ordinal));
                Assert.DoesNotContain(listening, line => line.Contains("kea-dhcp4", StringComparison.Ordinal));
            }

            using var probe = DhcpProbe.Start();
            await Task.Delay(TimeSpan.FromSeconds(5));
            var answered = await probe.StopAsync();
            output.WriteLine(answered.ToString());
            Assert.True(answered.Request.Received > 0, answered.ToString());
        }
        finally
        {
            // Back to the lab's own configs the same way (deploy's agent-first order cannot take the HA port back either).
            using var clean = CreateInventory(lab);
            PutInPlaceByHand(clean);
        }
    }

    /// <summary>Both servers stopped, the inventory's renders written, agents then servers started.</summary>
    private void PutInPlaceByHand(TempInventory inventory)
    {
        var render = Core.Rendering.RenderPipeline.Default(inventory.Folder).Run(inventory.Folder, null, () => null);
        Assert.True(render.Succeeded, string.Join("\n", render.Diagnostics));
        foreach (var rendered in render.Servers!)
        {
            lab.RunOnServer(rendered.Name, "kea-lab-service stop isc-kea-dhcp4-server; kea-lab-service stop isc-kea-ctrl-agent");
            WriteServerFile(rendered.Name, LiveDhcp4, rendered.File(Core.Rendering.TemplateSet.Dhcp4).Text);
            WriteServerFile(rendered.Name, "/etc/kea/kea-ctrl-agent.conf", rendered.File(Core.Rendering.TemplateSet.ControlAgent).Text);
        }

        foreach (var server in LabFixture.Servers)
        {
            var started = lab.RunOnServer(server, "kea-lab-service start isc-kea-ctrl-agent && kea-lab-service start isc-kea-dhcp4-server");
            Assert.True(started.ExitCode == 0, started.ToString());
        }
    }
}
