using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Validation;
using KeaGitOps.Remote;
using KeaGitOps.Remote.Ssh;

namespace KeaGitOps.Cli.Commands;

/// <summary>Connects to one server with the given inventory's settings (<see cref="RemoteSession.ConnectAsync(InventoryModel, Server, CancellationToken)"/>, or a fake in tests).</summary>
public delegate Task<IRemoteHost> ServerConnector(InventoryModel inventory, Server server, CancellationToken cancellation);

/// <summary>
/// A deploy's SSH connections, started the moment the inventory is bound, while the schema, the rules and
/// the render still run: the handshakes (host keys checked as always) then cost no time of their own. A
/// connection changes nothing on a server, and nothing runs through one before the render has passed: a
/// connection is handed out only by <see cref="ConnectAsync"/>, which the deploy calls only with a valid
/// render; whatever was not handed out is closed by <see cref="DisposeAsync"/>.
/// </summary>
public sealed class EarlyConnections : IAsyncDisposable
{
    private readonly ServerConnector _connect;
    private readonly string? _only;
    private readonly Task<bool> _allowed;
    private readonly CancellationTokenSource _stop;
    private readonly Dictionary<string, Started> _started = new(StringComparer.Ordinal);
    private bool _closed;

    /// <param name="only">--server: the one server to connect to early (null: every server).</param>
    /// <param name="allowed">whether connecting is allowed at all (deploy's guards that need no valid inventory, such as an uncommitted tree); false: nothing is started.</param>
    public EarlyConnections(ServerConnector connect, string? only, Task<bool> allowed, CancellationToken cancellation)
    {
        _connect = connect;
        _only = only;
        _allowed = allowed;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        Tap = new BoundTap(this);
    }

    /// <summary>Where the validator hands over the bound model: put first in its rule list, it runs right after binding.</summary>
    public IInventoryRule Tap { get; }

    /// <summary>A connection started early; Claimed once handed out (then its receiver closes it).</summary>
    private sealed class Started(SshEndpoint endpoint, string knownHosts, Task<IRemoteHost?> connecting)
    {
        public SshEndpoint Endpoint { get; } = endpoint;

        public string KnownHosts { get; } = knownHosts;

        /// <summary>The connection; null when it was not allowed.</summary>
        public Task<IRemoteHost?> Connecting { get; } = connecting;

        public bool Claimed { get; set; }
    }

    /// <summary>Not a rule: the first moment the bound model exists. It adds no finding.</summary>
    private sealed class BoundTap(EarlyConnections owner) : IInventoryRule
    {
        public void Check(InventoryModel inventory, DiagnosticBag diagnostics) => owner.Start(inventory);
    }

    private void Start(InventoryModel inventory)
    {
        var workingDirectory = Directory.GetCurrentDirectory();
        lock (_started)
        {
            if (_closed)
            {
                // The command ended before validation did (a refused tree): nothing more is started.
                return;
            }

            foreach (var server in inventory.Servers)
            {
                if (server is null || string.IsNullOrEmpty(server.Name) || (_only is not null && server.Name != _only) || _started.ContainsKey(server.Name))
                {
                    continue;
                }

                SshEndpoint endpoint;
                string knownHosts;
                try
                {
                    // Resolved here, on the validator's thread, before any other rule looks at the model.
                    endpoint = SshSettingsResolver.Endpoint(inventory, server, workingDirectory);
                    knownHosts = SshSettingsResolver.KnownHostsFile(inventory, server, workingDirectory);
                }
                catch (Exception e) when (e is ArgumentException or NotSupportedException or IOException)
                {
                    // An invalid inventory's settings: validation says what is wrong with them.
                    continue;
                }

                var token = _stop.Token;
                _started[server.Name] = new Started(endpoint, knownHosts, Task.Run(
                    async () => await _allowed.ConfigureAwait(false) ? await _connect(inventory, server, token).ConfigureAwait(false) : null,
                    CancellationToken.None));
            }
        }
    }

    /// <summary>
    /// The server's connection: the one started early when it was started with the same SSH settings,
    /// else a new one. The caller owns (and closes) what it gets.
    /// </summary>
    public async Task<IRemoteHost> ConnectAsync(InventoryModel inventory, Server server, CancellationToken cancellation)
    {
        Started? early;
        lock (_started)
        {
            if (_started.TryGetValue(server.Name, out early) && !early.Claimed)
            {
                var workingDirectory = Directory.GetCurrentDirectory();
                if (early.Endpoint == SshSettingsResolver.Endpoint(inventory, server, workingDirectory)
                    && early.KnownHosts == SshSettingsResolver.KnownHostsFile(inventory, server, workingDirectory))
                {
                    early.Claimed = true;
                }
                else
                {
                    early = null;
                }
            }
            else
            {
                early = null;
            }
        }

        if (early is not null && await early.Connecting.ConfigureAwait(false) is { } host)
        {
            return host;
        }

        return await _connect(inventory, server, cancellation).ConfigureAwait(false);
    }

    /// <summary>Closes every connection that was not handed out, after its handshake is stopped or done.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Started> unclaimed;
        lock (_started)
        {
            _closed = true;
            unclaimed = _started.Values.Where(s => !s.Claimed).ToList();
            foreach (var started in unclaimed)
            {
                started.Claimed = true;
            }
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var started in unclaimed)
        {
            try
            {
                if (await started.Connecting.ConfigureAwait(false) is { } host)
                {
                    await host.DisposeAsync().ConfigureAwait(false);
                }
            }
#pragma warning disable CA1031 // A connection nobody asked for: whatever ended it (refused key, cancelled, unreachable) is of no use to report.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        _stop.Dispose();
    }
}
