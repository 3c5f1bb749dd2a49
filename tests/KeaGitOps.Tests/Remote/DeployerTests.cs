using System.Net;
using System.Net.Sockets;
using System.Text;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Remote;
using KeaGitOps.Remote.Deploy;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Remote;

/// <summary>
/// The deploy engine against a scripted server (a fake behind IRemoteHost, with a real HTTP listener as
/// its Control Agent): what Ctrl-C may and may not interrupt. The lab tests prove the rest for real.
/// </summary>
public sealed class DeployerTests : IDisposable
{
    private readonly HttpListener _agent = new();
    private readonly Uri _agentUri;
    private readonly CancellationTokenSource _stopAgent = new();

    /// <summary>The agent's answer to a command other than the heartbeat (null: success with the heartbeat's state), set by a test.</summary>
    private Func<string, string?> _answer = _ => null;

    /// <summary>The commands the agent received, in order.</summary>
    private readonly List<string> _agentCommands = [];

    public DeployerTests()
    {
        var port = FreePort();
        _agentUri = new Uri($"http://127.0.0.1:{port}/");
        _agent.Prefixes.Add(_agentUri.ToString());
        _agent.Start();
        _ = Task.Run(ServeHeartbeatsAsync);
    }

    public void Dispose()
    {
        _stopAgent.Cancel();
        _agent.Close();
        _stopAgent.Dispose();
    }

    private async Task ServeHeartbeatsAsync()
    {
        while (!_stopAgent.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _agent.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var command = System.Text.Json.JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.GetProperty("command").GetString()!;
            lock (_agentCommands)
            {
                _agentCommands.Add(command);
            }

            var body = Encoding.UTF8.GetBytes(_answer(command) ?? """[ { "result": 0, "arguments": { "state": "load-balancing" } } ]""");
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static List<DeployTarget> Targets(int agentPort = 8001)
    {
        using var copy = TempInventory.FromExample();
        copy.Replace("site.yaml", "  authentication:\n    user: kea-api\n    password-file: kea-api-password   # a file in /etc/kea on each server; never the password itself\n", string.Empty);
        copy.Replace("site.yaml", "control-agent:\n  port: 8001\n", $"control-agent:\n  port: {agentPort}\n");
        var result = RenderPipeline.Default(copy.Folder).Run(copy.Folder, null, () => null);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Inventory!.Servers.Zip(result.Servers!, (s, r) => DeployTarget.For(result.Inventory, s, r)).ToList();
    }

    [Fact]
    public void Deploy_reads_the_password_file_the_rendered_agent_config_names_whatever_the_config_directory()
    {
        using var copy = TempInventory.FromExample();
        copy.Write("site.yaml", copy.Read("site.yaml") + "deploy:\n  config-directory: /srv/kea\n");
        var result = RenderPipeline.Default(copy.Folder).Run(copy.Folder, null, () => null);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));

        var target = DeployTarget.For(result.Inventory!, result.Inventory!.Servers[0], result.Servers![0]);

        using var agent = System.Text.Json.JsonDocument.Parse(result.Servers[0].File(TemplateSet.ControlAgent).Text);
        var authentication = agent.RootElement.GetProperty("Control-agent").GetProperty("authentication");
        var rendered = $"{authentication.GetProperty("directory").GetString()}/{authentication.GetProperty("clients")[0].GetProperty("password-file").GetString()}";
        Assert.Equal("/etc/kea/kea-api-password", rendered);
        Assert.Equal(rendered, target.ControlAgent.PasswordFile);
    }

    /// <summary>Deploys the example to two scripted servers, pressing Ctrl-C when a command starting with <paramref name="prefix"/> runs.</summary>
    private async Task<(IReadOnlyList<ServerReport> Reports, Dictionary<string, ScriptedHost> Hosts)> DeployInterruptedAtAsync(string prefix)
    {
        var targets = Targets();
        using var interrupt = new CancellationTokenSource();
        var hosts = new Dictionary<string, ScriptedHost>();
        void PressCtrlC(string command)
        {
            if (command.StartsWith(prefix, StringComparison.Ordinal))
            {
                interrupt.Cancel();
            }
        }

        var deployer = new Deployer((t, _) => Task.FromResult<IRemoteHost>(hosts[t.Name] = new ScriptedHost(t, _agentUri, PressCtrlC)), new NoProgress());
        var reports = await deployer.DeployAsync(targets, targets, new DeployOptions(DryRun: false, Force: false, Owner: "test"), interrupt.Token);
        return (reports, hosts);
    }

    [Fact]
    public async Task Ctrl_C_before_the_replacement_leaves_the_live_config_and_releases_the_lock()
    {
        var (reports, hosts) = await DeployInterruptedAtAsync("ip -o -4");

        var first = reports[0];
        Assert.Equal(("kea-dhcp-2", ServerOutcome.Refused), (first.Server, first.Outcome));
        Assert.Contains("interrupted", first.Message, StringComparison.Ordinal);
        Assert.Equal(ServerOutcome.NotAttempted, reports[1].Outcome);
        var commands = hosts["kea-dhcp-2"].Commands;
        Assert.DoesNotContain(commands, c => c.StartsWith("mv ", StringComparison.Ordinal));
        Assert.Equal("rm -rf /run/lock/keagitops", commands[^1]);
    }

    [Fact]
    public async Task Ctrl_C_after_the_replacement_does_not_stop_the_restart_and_verification()
    {
        var (reports, hosts) = await DeployInterruptedAtAsync("mv -f");

        Assert.Equal(ServerOutcome.Applied, reports[0].Outcome);
        Assert.Contains(hosts["kea-dhcp-2"].Commands, c => c == "systemctl restart isc-kea-dhcp4-server");
        Assert.Equal(ServerOutcome.NotAttempted, reports[1].Outcome);
        Assert.Contains("interrupted", reports[1].Message, StringComparison.Ordinal);
    }

    /// <summary>Deploys the example to kea-dhcp-2 only, whose live files are the render with <paramref name="edit"/> applied to its kea-dhcp4.conf.</summary>
    private async Task<(ServerReport Report, ScriptedHost Host)> DeployOverLiveAsync(Func<string, string> edit)
    {
        var targets = Targets();
        var target = targets.Single(t => t.Name == "kea-dhcp-2");
        var dhcp4 = target.Rendered.File(TemplateSet.Dhcp4).Text;
        Assert.NotEqual(dhcp4, edit(dhcp4));
        var files = target.Rendered.Files.ToDictionary(
            f => target.LivePath(f.Name),
            f => f.Name == TemplateSet.Dhcp4 ? Encoding.UTF8.GetBytes(edit(f.Text)) : f.Utf8);
        ScriptedHost? host = null;
        var deployer = new Deployer((t, _) => Task.FromResult<IRemoteHost>(t.Name == target.Name ? host = new ScriptedHost(t, _agentUri, _ => { }, files) : new ScriptedHost(t, _agentUri, _ => { })), new NoProgress());
        var reports = await deployer.DeployAsync([target], targets, new DeployOptions(DryRun: false, Force: false, Owner: "test"), CancellationToken.None);
        return (Assert.Single(reports), host!);
    }

    [Fact]
    public async Task A_new_commit_alone_is_no_reason_to_restart()
    {
        var (report, host) = await DeployOverLiveAsync(text => text.Replace("\"generator\": \"keagitops", "\"source-commit\": \"0123abc\", \"generator\": \"keagitops", StringComparison.Ordinal));

        Assert.Equal(ServerOutcome.Unchanged, report.Outcome);
        Assert.DoesNotContain(host.Commands, c => c.StartsWith("mv ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hand_edit_under_a_subnets_own_user_context_keagitops_is_applied()
    {
        _answer = RunningAsRendered("kea-dhcp-2");
        // Only TOP.user-context.keagitops is keagitops' provenance; the same key in a subnet is a setting.
        var (report, host) = await DeployOverLiveAsync(text => text.Replace("\"subnet4\": [\n      {\n", "\"subnet4\": [\n      {\n        \"user-context\": { \"keagitops\": \"edited by hand\" },\n", StringComparison.Ordinal));

        Assert.Equal(ServerOutcome.Applied, report.Outcome);
        Assert.Equal([TemplateSet.Dhcp4], report.ChangedFiles);
        Assert.Contains(host.Commands, c => c.StartsWith("mv -f ", StringComparison.Ordinal) && c.Contains(TemplateSet.Dhcp4, StringComparison.Ordinal));
    }

    /// <summary>An agent whose config-get answers <paramref name="server"/>'s rendered kea-dhcp4.conf (as Kea would after reading it), with <paramref name="edit"/> applied.</summary>
    private static Func<string, string?> RunningAsRendered(string server, Func<string, string>? edit = null)
    {
        var rendered = Targets().Single(t => t.Name == server).Rendered.File(TemplateSet.Dhcp4).Text;
        using var config = System.Text.Json.JsonDocument.Parse((edit ?? (t => t))(rendered), new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip });
        var answer = $"[ {{ \"result\": 0, \"arguments\": {config.RootElement.GetRawText()} }} ]";
        return command => command == "config-get" ? answer : null;
    }

    private static string ValidLifetime(string text, int value) =>
        System.Text.RegularExpressions.Regex.Replace(text, "\"valid-lifetime\": [0-9]+", $"\"valid-lifetime\": {value}");

    [Fact]
    public async Task A_reservation_the_server_does_not_answer_as_rendered_after_reservation_add_is_undone_and_reloaded()
    {
        // The live file names the NAS "nas-old"; the render "nas". The server takes reservation-del and
        // reservation-add but answers reservation-get with the old hostname: the runtime apply must not pass.
        var config = RunningAsRendered("kea-dhcp-2");
        _answer = command => command switch
        {
            "list-commands" => """[ { "result": 0, "arguments": [ "reservation-add", "reservation-del", "reservation-get", "config-reload", "config-get" ] } ]""",
            "reservation-add" or "reservation-del" => """[ { "result": 0, "text": "done" } ]""",
            "reservation-get" => """[ { "result": 0, "arguments": { "hw-address": "02:00:00:00:00:01", "ip-address": "192.168.1.21", "hostname": "nas-old", "subnet-id": 1, "option-data": [], "client-classes": [] } } ]""",
            _ => config(command),
        };

        var (report, _) = await DeployOverLiveAsync(text => text.Replace("\"hostname\": \"nas\",", "\"hostname\": \"nas-old\",", StringComparison.Ordinal));

        Assert.Equal(ServerOutcome.Applied, report.Outcome);
        Assert.Contains("runtime apply not possible (reservation-get of hw-address=02:00:00:00:00:01 in subnet 1 does not answer the added reservation: hostname: file \"nas\", running \"nas-old\"; its 2 applied step(s) were undone)", report.Message, StringComparison.Ordinal);
        Assert.Contains("applied kea-dhcp4.conf without a restart (config-reload, running config read back)", report.Message, StringComparison.Ordinal);
        // Applied, verified, undone (the add deleted, the delete added back), then the file reloaded.
        Assert.Equal(["reservation-del", "reservation-add", "reservation-get", "reservation-del", "reservation-add", "config-reload"], _agentCommands.Where(c => c.StartsWith("reservation-", StringComparison.Ordinal) || c == "config-reload").ToList());
    }

    [Fact]
    public async Task A_subnet_the_server_does_not_run_as_rendered_after_subnet4_update_is_undone_and_reloaded()
    {
        // The live file calls subnet 1 "old LAN", the render "home LAN"; the server takes subnet4-update but
        // answers subnet4-get with the old comment.
        var config = RunningAsRendered("kea-dhcp-2");
        _answer = command => command switch
        {
            "list-commands" => """[ { "result": 0, "arguments": [ "subnet4-update", "subnet4-get", "config-reload", "config-get" ] } ]""",
            "subnet4-update" => """[ { "result": 0, "text": "IPv4 subnet updated" } ]""",
            "subnet4-get" => """[ { "result": 0, "arguments": { "subnet4": [ { "id": 1, "subnet": "192.168.1.0/24", "user-context": { "comment": "old LAN" } } ] } } ]""",
            _ => config(command),
        };

        var (report, _) = await DeployOverLiveAsync(text => text.Replace("\"comment\": \"home LAN\"", "\"comment\": \"old LAN\"", StringComparison.Ordinal));

        Assert.Equal(ServerOutcome.Applied, report.Outcome);
        Assert.Contains("runtime apply not possible (subnet 1 does not run as rendered after subnet4-update: user-context.comment: file \"home LAN\", running \"old LAN\";", report.Message, StringComparison.Ordinal);
        Assert.Contains("its 1 applied step(s) were undone): applied kea-dhcp4.conf without a restart (config-reload, running config read back)", report.Message, StringComparison.Ordinal);
        Assert.Equal(["subnet4-update", "subnet4-get", "subnet4-update", "config-reload"], _agentCommands.Where(c => c.StartsWith("subnet4-", StringComparison.Ordinal) || c == "config-reload").ToList());
    }

    [Fact]
    public async Task A_DHCPv4_only_change_is_reloaded_into_the_running_server_and_read_back_without_a_restart()
    {
        _answer = RunningAsRendered("kea-dhcp-2");

        var (report, host) = await DeployOverLiveAsync(text => ValidLifetime(text, 7200));

        Assert.Equal(ServerOutcome.Applied, report.Outcome);
        Assert.Contains("without a restart (config-reload, running config read back; not at runtime: Dhcp4.valid-lifetime changed, which neither host_cmds nor subnet_cmds apply)", report.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Commands, c => c.Contains("restart", StringComparison.Ordinal));
        // The tested file is in place before the server reads it, and what runs is then read back.
        var reload = _agentCommands.IndexOf("config-reload");
        Assert.True(reload >= 0, string.Join(", ", _agentCommands));
        Assert.Equal("config-get", _agentCommands[reload + 1]);
        Assert.Contains(host.Commands, c => c.StartsWith("mv -f ", StringComparison.Ordinal) && c.Contains(TemplateSet.Dhcp4, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reload_Kea_refuses_is_followed_by_a_restart_with_the_new_file()
    {
        _answer = command => command == "config-reload" ? """[ { "result": 1, "text": "Config reload failed: cannot bind" } ]""" : null;

        var (report, host) = await DeployOverLiveAsync(text => ValidLifetime(text, 7200));

        Assert.Equal(ServerOutcome.Applied, report.Outcome);
        Assert.Contains("with a restart (config-reload failed: Config reload failed: cannot bind)", report.Message, StringComparison.Ordinal);
        Assert.Contains(host.Commands, c => c == "systemctl restart isc-kea-dhcp4-server");
        Assert.DoesNotContain(host.Commands, c => c.StartsWith("cp -p ", StringComparison.Ordinal) && c.Contains("keagitops-backup", StringComparison.Ordinal) && c.Contains(".keagitops-new", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reloaded_server_that_runs_something_else_than_the_render_is_rolled_back_to_its_backup()
    {
        // As when kea-dhcp4 was started with another file than the one deploy replaced: config-reload reads that one.
        _answer = RunningAsRendered("kea-dhcp-2", text => ValidLifetime(text, 3600));

        var (report, host) = await DeployOverLiveAsync(text => ValidLifetime(text, 7200));

        Assert.Equal(ServerOutcome.RolledBack, report.Outcome);
        Assert.Contains("the running config is not the one rendered after config-reload: Dhcp4.valid-lifetime: file 86400, running 3600", report.Message, StringComparison.Ordinal);
        // The backup goes back in place and the server is restarted with it.
        var restore = host.Commands.FindIndex(c => c.StartsWith("cp -p ", StringComparison.Ordinal) && c.Contains("keagitops-backup", StringComparison.Ordinal) && c.Contains(".keagitops-new", StringComparison.Ordinal));
        Assert.True(restore > 0, string.Join("\n", host.Commands));
        Assert.Contains(host.Commands.Skip(restore), c => c == "systemctl restart isc-kea-dhcp4-server");
    }

    [Fact]
    public async Task A_change_of_the_agents_config_is_never_reloaded_only_restarted()
    {
        var live = Targets(agentPort: 8001);
        var targets = Targets(agentPort: 8011);
        var target = targets.Single(t => t.Name == "kea-dhcp-2");
        var files = live.Single(l => l.Name == target.Name).Rendered.Files.ToDictionary(f => target.LivePath(f.Name), f => f.Name == TemplateSet.Dhcp4 ? Encoding.UTF8.GetBytes(ValidLifetime(f.Text, 7200)) : f.Utf8);
        ScriptedHost? host = null;
        var deployer = new Deployer((t, _) => Task.FromResult<IRemoteHost>(t.Name == target.Name ? host = new ScriptedHost(t, _agentUri, _ => { }, files) : new ScriptedHost(t, _agentUri, _ => { })), new NoProgress());

        var report = Assert.Single(await deployer.DeployAsync([target], targets, new DeployOptions(DryRun: false, Force: false, Owner: "test"), CancellationToken.None));

        Assert.Equal(ServerOutcome.Applied, report.Outcome);
        Assert.StartsWith("restarted (the Control Agent's config changed", report.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("config-reload", _agentCommands);
        Assert.Contains(host!.Commands, c => c == "systemctl restart isc-kea-dhcp4-server");
    }

    [Fact]
    public async Task A_server_running_another_Kea_version_than_the_inventory_renders_for_is_refused_before_anything_is_written()
    {
        var targets = Targets();
        var target = targets.Single(t => t.Name == "kea-dhcp-2");
        ScriptedHost? host = null;
        var deployer = new Deployer((t, _) => Task.FromResult<IRemoteHost>(host = new ScriptedHost(t, _agentUri, _ => { }, keaVersion: "2.6.3")), new NoProgress());

        var report = Assert.Single(await deployer.DeployAsync([target], targets, new DeployOptions(DryRun: false, Force: false, Owner: "test"), CancellationToken.None));

        Assert.NotEqual(ServerOutcome.Applied, report.Outcome);
        Assert.Contains("kea-dhcp-2 runs Kea 2.6.3, but the inventory renders for kea.version \"3.0\"", report.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host!.Commands, c => c.StartsWith("mv ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_agent_is_reached_where_its_live_config_says_until_it_restarts_with_the_new_one()
    {
        // The servers run the example as rendered with the agent on 8001; the inventory moves it to 8011.
        var live = Targets(agentPort: 8001);
        var targets = Targets(agentPort: 8011);
        var hosts = new Dictionary<string, ScriptedHost>();
        var deployer = new Deployer(
            (t, _) =>
            {
                var files = live.Single(l => l.Name == t.Name).Rendered.Files.ToDictionary(f => t.LivePath(f.Name), f => f.Utf8);
                return Task.FromResult<IRemoteHost>(hosts[t.Name] = new ScriptedHost(t, _agentUri, _ => { }, files));
            },
            new NoProgress());

        var reports = await deployer.DeployAsync(targets, targets, new DeployOptions(DryRun: false, Force: false, Owner: "test"), CancellationToken.None);

        Assert.All(reports, r => Assert.Equal(ServerOutcome.Applied, r.Outcome));
        var forwards = new Dictionary<string, (List<string> Before, List<string> After)>();
        foreach (var (name, host) in hosts)
        {
            var restart = host.Commands.FindIndex(c => c.Contains("restart", StringComparison.Ordinal) && c.Contains("ctrl-agent", StringComparison.Ordinal));
            Assert.True(restart > 0, $"{name}'s agent was not restarted: {string.Join("; ", host.Commands)}");
            forwards[name] = (
                host.Commands.Take(restart).Where(c => c.StartsWith("forward ", StringComparison.Ordinal)).ToList(),
                host.Commands.Skip(restart).Where(c => c.StartsWith("forward ", StringComparison.Ordinal)).ToList());
            Assert.All(forwards[name].Before, f => Assert.Equal("forward 127.0.0.1:8001", f));
            Assert.All(forwards[name].After, f => Assert.Equal("forward 127.0.0.1:8011", f));
        }

        // kea-dhcp-2 goes first: its partner kea-dhcp-1 is asked (and hands over) on the live 8001; then
        // kea-dhcp-1's turn finds kea-dhcp-2's agent restarted on 8011.
        Assert.NotEmpty(forwards["kea-dhcp-1"].Before);
        Assert.NotEmpty(forwards["kea-dhcp-2"].After);
    }

    private sealed class NoProgress : IDeployProgress
    {
        public void Step(string server, string step, string detail)
        {
        }
    }

    /// <summary>A server that answers the deploy's commands as a healthy Debian Kea host would.</summary>
    private sealed class ScriptedHost(DeployTarget target, Uri agent, Action<string> onCommand, IReadOnlyDictionary<string, byte[]>? files = null, string keaVersion = "3.0.4") : IRemoteHost
    {
        public List<string> Commands { get; } = [];

        public string ServerName => target.Name;

        public Task<CommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellation)
        {
            lock (Commands)
            {
                // A server's commands may run side by side (the version check beside the lock).
                Commands.Add(command);
            }

            onCommand(command);
            cancellation.ThrowIfCancellationRequested();
            var output = command switch
            {
                _ when command.StartsWith("ip -o -4", StringComparison.Ordinal) => $"2: eth0    inet {target.Server.Address}/24 brd x scope global eth0\n",
                _ when command.StartsWith("ip -o link", StringComparison.Ordinal) => "1: lo: <LOOPBACK>\n2: eth0: <BROADCAST>\n",
                _ when command.StartsWith("kea-dhcp4 -V", StringComparison.Ordinal) => keaVersion + "\n",
                _ => string.Empty,
            };
            return Task.FromResult(new CommandResult(0, output, string.Empty));
        }

        /// <summary>The server's files: those given, else an empty config at every path.</summary>
        public Task<byte[]?> ReadFileAsync(string path, CancellationToken cancellation) =>
            Task.FromResult<byte[]?>(files is null ? "{}"u8.ToArray() : files.GetValueOrDefault(path));

        public Task WriteFileAsync(string path, byte[] content, CancellationToken cancellation) => Task.CompletedTask;

        public Task<Uri> ForwardAsync(string host, int port, CancellationToken cancellation)
        {
            lock (Commands)
            {
                Commands.Add($"forward {host}:{port}");
            }

            return Task.FromResult(agent);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
