using System.Text;
using KeaGitOps.Core.Import;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Remote.Deploy;

namespace KeaGitOps.Remote.Import;

/// <summary>Opens an SSH session to a server (host key checked): the same helper deploy and diff use.</summary>
public delegate Task<IRemoteHost> ConnectToServer(InventoryModel inventory, Server server, CancellationToken cancellation);

/// <summary>
/// The servers' live configs as import sources: each server's kea-dhcp4.conf and kea-ctrl-agent.conf from
/// its deploy.config-directory, &lt;?include?&gt; files read over SSH too, and the addresses the host has.
/// Holds the SSH sessions until disposed: the sources read through them when the import loads them.
/// </summary>
public sealed class LiveImportSources : IAsyncDisposable
{
    private readonly List<IRemoteHost> _hosts = [];

    public List<ConfigSource> Sources { get; } = [];

    /// <summary>Why a server could not be reached ("NAME: connect: …"); null when all were.</summary>
    public string? Error { get; private set; }

    /// <summary>
    /// An inventory holding only how the servers named on the command line are reached, before any inventory
    /// exists; import writes these settings into the new one (<paramref name="connection"/>).
    /// </summary>
    public static InventoryModel InventoryFor(ImportConnection connection) => new()
    {
        Servers = connection.Servers.Select(r => new Server { Name = r.Key, Ssh = new SshSettings { Host = r.Value.Host, User = r.Value.User, Port = r.Value.Port } }).ToList(),
        Ssh = new SshSettings { KeyFile = connection.KeyFile, KnownHosts = connection.KnownHosts },
        Deploy = new DeploySettings { ConfigDirectory = connection.ConfigDirectory },
    };

    /// <summary>Connects to every server of <paramref name="inventory"/>; stops at the first that cannot be reached (<see cref="Error"/>).</summary>
    public static async Task<LiveImportSources> OpenAsync(InventoryModel inventory, ConnectToServer connect, CancellationToken cancellation)
    {
        var live = new LiveImportSources();
        foreach (var server in inventory.Servers)
        {
            IRemoteHost host;
            try
            {
                host = await connect(inventory, server, cancellation).ConfigureAwait(false);
            }
            catch (RemoteStepException e)
            {
                live.Error = $"{server.Name}: connect: {e.Message}";
                return live;
            }

            live._hosts.Add(host);
            live.Sources.Add(await SourceAsync(host, inventory, server, cancellation).ConfigureAwait(false));
        }

        return live;
    }

    private static async Task<ConfigSource> SourceAsync(IRemoteHost host, InventoryModel inventory, Server server, CancellationToken cancellation)
    {
        var directory = EffectiveDeploy.For(inventory, server).ConfigDirectory.TrimEnd('/');
        // The server's own files, includes too, by their own paths: its name is only ever how they are shown.
        return ConfigSource.From(new RemoteFileSource(host, cancellation), server.Name, $"{directory}/{TemplateSet.Dhcp4}", agentBeside: true, await HostFacts.AssignedAddressesAsync(host, cancellation).ConfigureAwait(false));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync().ConfigureAwait(false);
        }
    }
}
