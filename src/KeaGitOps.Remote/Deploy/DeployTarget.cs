using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Remote.Kea;

namespace KeaGitOps.Remote.Deploy;

/// <summary>One server as deploy sees it: who it is, what it should run, and how to apply it.</summary>
public sealed record DeployTarget(
    Server Server,
    RenderedServer Rendered,
    EffectiveDeploy Settings,
    ControlAgentAccess ControlAgent,
    IReadOnlyList<string> Interfaces,
    long HaPort)
{
    public string Name => Server.Name;

    /// <summary>The Kea version the configs are rendered for (whose defaults the live diff knows).</summary>
    public KeaVersion KeaVersion { get; init; } = KeaVersion.V3_0;

    public string LivePath(string file) => $"{Settings.ConfigDirectory.TrimEnd('/')}/{file}";

    /// <summary>
    /// Where the server's running Control Agent listens and how to log in, per its live config
    /// <paramref name="live"/>; the inventory's settings (<see cref="ControlAgent"/>) when there is no
    /// readable one. They differ once the inventory changes the agent, until the agent restarts with it.
    /// </summary>
    public ControlAgentAccess LiveControlAgent(KeaConfig? live) =>
        live is null ? ControlAgent : ControlAgentAccess.FromLiveConfig(live.Root, live.Display) ?? ControlAgent;

    /// <summary>Reads the server's live kea-ctrl-agent.conf: <see cref="LiveControlAgent"/>.</summary>
    public async Task<ControlAgentAccess> ReadLiveControlAgentAsync(IRemoteHost host, CancellationToken cancellation)
    {
        var path = LivePath(TemplateSet.ControlAgent);
        var bytes = await host.ReadFileAsync(path, cancellation).ConfigureAwait(false);
        using var live = bytes is null ? null : KeaConfig.Parse(bytes, path, new RemoteFileSource(host, cancellation));
        return LiveControlAgent(live?.Config);
    }

    /// <summary>Deploy order: everything else before the primary, so the primary keeps serving while its partner restarts.</summary>
    public static IReadOnlyList<DeployTarget> InSafeOrder(IEnumerable<DeployTarget> targets) =>
        targets.OrderBy(t => t.Server.Role == HaRole.Primary ? 1 : 0).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();

    public static DeployTarget For(InventoryModel inventory, Server server, RenderedServer rendered)
    {
        var agent = inventory.ControlAgent;
        var settings = EffectiveDeploy.For(inventory, server);
        // The file the rendered agent config names (ControlAgentAuthentication.PasswordPath), so the
        // password sent is the one Kea checks.
        var passwordFile = agent.Authentication?.PasswordPath;
        return new DeployTarget(
            server,
            rendered,
            settings,
            new ControlAgentAccess(server.AgentHost(agent), (int)agent.Port, agent.Authentication?.User, passwordFile),
            server.Interfaces.Select(i => i.Value.Split('/')[0]).Where(i => i != "*").ToList(),
            inventory.HighAvailability.Port)
        {
            KeaVersion = inventory.Kea.Version,
        };
    }
}
