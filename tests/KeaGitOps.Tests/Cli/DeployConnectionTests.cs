using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Cli.Output;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Remote;
using KeaGitOps.Tests.Git;

namespace KeaGitOps.Tests.Cli;

/// <summary>
/// Deploy connects to the servers while the inventory is still being validated (<see cref="EarlyConnections"/>),
/// yet nothing runs on a server before the render has passed, and a no-op deploy costs each server one
/// connection and one read of its files.
/// </summary>
public sealed class DeployConnectionTests : IDisposable
{
    private readonly TemporaryRepository _repository = new();
    private readonly List<RecordingHost> _hosts = [];

    public void Dispose() => _repository.Dispose();

    /// <summary>Servers whose live files are <paramref name="live"/> (by server name and path; none: every file missing).</summary>
    private ServerConnector Servers(IReadOnlyDictionary<string, Dictionary<string, byte[]>>? live = null) => (_, server, _) =>
    {
        var host = new RecordingHost(server.Name, live?.GetValueOrDefault(server.Name) ?? []);
        lock (_hosts)
        {
            _hosts.Add(host);
        }

        return Task.FromResult<IRemoteHost>(host);
    };

    private Task<int> DeployAsync(ServerConnector connect, StringWriter console, bool dryRun = false) =>
        DeployCommand.RunAsync(new DirectoryInfo(_repository.Inventory), OutputFormat.Text, null, null, dryRun, force: false, console, connect, CancellationToken.None);

    [Fact]
    public async Task An_invalid_inventory_reaches_no_server_even_though_its_connections_were_started_early()
    {
        _repository.Edit("inventory/site.yaml", "valid-lifetime: 86400", "valid-lifetime: a day");
        _repository.Commit("an invalid lifetime");
        var console = new StringWriter();

        var code = await DeployAsync(Servers(), console);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("the inventory is invalid; nothing was read or changed on any server", console.ToString(), StringComparison.Ordinal);
        // Connected while the schema and the rules ran (the point of connecting early), then closed unused.
        Assert.Equal(["kea-dhcp-1", "kea-dhcp-2"], _hosts.Select(h => h.ServerName).Order(StringComparer.Ordinal));
        Assert.All(_hosts, h => Assert.Equal((0, 1), (h.Operations.Count, h.Disposals)));
    }

    [Fact]
    public async Task An_uncommitted_tree_is_refused_without_connecting_at_all()
    {
        _repository.Edit("inventory/site.yaml", "comment: home LAN", "comment: not committed yet");
        var console = new StringWriter();

        var code = await DeployAsync(Servers(), console);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("has uncommitted changes", console.ToString(), StringComparison.Ordinal);
        Assert.Empty(_hosts);
    }

    [Fact]
    public async Task A_no_op_deploy_connects_each_server_once_and_reads_its_files_once_with_the_lock()
    {
        var rendered = WorkingTree.Render(new DirectoryInfo(_repository.Inventory), null);
        Assert.True(rendered.Succeeded, string.Join("\n", rendered.Diagnostics));
        var directory = EffectiveDeploy.For(rendered.Inventory!, rendered.Inventory!.Servers[0]).ConfigDirectory.TrimEnd('/');
        var live = rendered.Servers!.ToDictionary(s => s.Name, s => s.Files.ToDictionary(f => $"{directory}/{f.Name}", f => f.Utf8));
        var console = new StringWriter();

        var code = await DeployAsync(Servers(live), console);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(2, console.ToString().Split('\n').Count(l => l.Contains("Unchanged", StringComparison.Ordinal)));
        Assert.Equal(["kea-dhcp-1", "kea-dhcp-2"], _hosts.Select(h => h.ServerName).Order(StringComparer.Ordinal));
        foreach (var host in _hosts)
        {
            // The lock, then its files in the same round trip (one read per rendered file), the version beside it, the release.
            Assert.Equal(1, host.Disposals);
            var reads = host.Operations.Where(o => o.StartsWith("read ", StringComparison.Ordinal)).ToList();
            Assert.Equal(live[host.ServerName].Keys.Select(p => "read " + p).Order(StringComparer.Ordinal), reads.Order(StringComparer.Ordinal));
            Assert.StartsWith("lock-and-read mkdir /run/lock/keagitops", host.Operations[host.Operations.FindIndex(o => o.StartsWith("lock-and-read", StringComparison.Ordinal))], StringComparison.Ordinal);
            Assert.Equal("run rm -rf /run/lock/keagitops", host.Operations[^1]);
        }
    }

    /// <summary>A server that records what is done on it; its files are those given.</summary>
    private sealed class RecordingHost(string name, Dictionary<string, byte[]> files) : IRemoteHost
    {
        public List<string> Operations { get; } = [];

        public int Disposals { get; private set; }

        public string ServerName => name;

        private void Record(string operation)
        {
            lock (Operations)
            {
                Operations.Add(operation);
            }
        }

        public Task<CommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellation)
        {
            Record("run " + command);
            return Task.FromResult(new CommandResult(0, command.StartsWith("kea-dhcp4 -V", StringComparison.Ordinal) ? "3.0.4\n" : string.Empty, string.Empty));
        }

        public Task<(CommandResult First, IReadOnlyList<Task<byte[]?>> Files)> RunThenReadAsync(string first, IReadOnlyList<string> paths, TimeSpan timeout, CancellationToken cancellation)
        {
            Record("lock-and-read " + first);
            return Task.FromResult<(CommandResult, IReadOnlyList<Task<byte[]?>>)>((new CommandResult(0, string.Empty, string.Empty), paths.Select(p => ReadFileAsync(p, cancellation)).ToList()));
        }

        public Task<byte[]?> ReadFileAsync(string path, CancellationToken cancellation)
        {
            Record("read " + path);
            return Task.FromResult(files.GetValueOrDefault(path));
        }

        public Task WriteFileAsync(string path, byte[] content, CancellationToken cancellation)
        {
            Record("write " + path);
            return Task.CompletedTask;
        }

        public Task<Uri> ForwardAsync(string host, int port, CancellationToken cancellation)
        {
            Record($"forward {host}:{port}");
            return Task.FromResult(new Uri("http://127.0.0.1:9/"));
        }

        public ValueTask DisposeAsync()
        {
            Disposals++;
            return ValueTask.CompletedTask;
        }
    }
}
