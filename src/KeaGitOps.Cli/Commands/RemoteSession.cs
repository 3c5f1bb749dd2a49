using KeaGitOps.Cli.Output;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Git;
using KeaGitOps.Remote;
using KeaGitOps.Remote.Deploy;
using KeaGitOps.Remote.Ssh;

namespace KeaGitOps.Cli.Commands;

/// <summary>
/// What diff and deploy share: validate and render (an invalid inventory never reaches a server),
/// pick the servers, and connect to them over SSH with host keys checked against known_hosts.
/// </summary>
public sealed class RemoteSession
{
    private RemoteSession(InventoryModel inventory, IReadOnlyList<DeployTarget> all, IReadOnlyList<DeployTarget> selected)
    {
        Inventory = inventory;
        All = all;
        Selected = selected;
    }

    public InventoryModel Inventory { get; }

    public IReadOnlyList<DeployTarget> All { get; }

    public IReadOnlyList<DeployTarget> Selected { get; }

    /// <summary>Validates and renders; null (after printing why) when the inventory has errors or --server names no server.</summary>
    public static RemoteSession? Open(DirectoryInfo inventory, DirectoryInfo? templates, string? onlyServer, DiagnosticWriter writer, TextWriter console) =>
        Open(WorkingTree.Render(inventory, templates), onlyServer, writer, console);

    /// <summary>The session of an inventory already rendered (<paramref name="result"/>); null (after printing why) when it has errors or --server names no server.</summary>
    public static RemoteSession? Open(RenderResult result, string? onlyServer, DiagnosticWriter writer, TextWriter console)
    {
        if (!result.Succeeded)
        {
            writer.Write(result.Diagnostics, $"{DiagnosticWriter.Summary(result.Diagnostics)}: the inventory is invalid; nothing was read or changed on any server");
            return null;
        }

        var model = result.Inventory!;
        var all = model.Servers.Zip(result.Servers!, (server, rendered) => DeployTarget.For(model, server, rendered)).ToList();
        var selected = onlyServer is null ? all : all.Where(t => t.Name == onlyServer).ToList();
        if (selected.Count == 0)
        {
            console.WriteLine($"keagitops: no server named '{onlyServer}' in the inventory (servers: {string.Join(", ", all.Select(t => t.Name))})");
            return null;
        }

        return new RemoteSession(model, all, selected);
    }

    public Task<IRemoteHost> ConnectAsync(DeployTarget target, CancellationToken cancellation) => ConnectAsync(Inventory, target.Server, cancellation);

    /// <summary>Connects to a server with the inventory's SSH settings, its host key checked against known_hosts.</summary>
    public static async Task<IRemoteHost> ConnectAsync(InventoryModel inventory, Server server, CancellationToken cancellation)
    {
        var workingDirectory = Directory.GetCurrentDirectory();
        var endpoint = SshSettingsResolver.Endpoint(inventory, server, workingDirectory);
        var knownHosts = SshSettingsResolver.KnownHostsFile(inventory, server, workingDirectory);
        return await SshRemoteHost.ConnectAsync(endpoint, HostKeys.Gate(knownHosts), cancellation).ConfigureAwait(false);
    }
}
