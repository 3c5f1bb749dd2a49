using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Remote.Kea;
using KeaGitOps.Remote.Status;

namespace KeaGitOps.Remote.Deploy;

/// <summary>
/// A changed kea-dhcp4.conf applied to the running kea-dhcp4 without restarting it: once the tested file is
/// in place, <c>config-reload</c> makes the running server read it again, and <c>config-get</c> shows that it
/// runs what was rendered. The file is what a later restart reads, so reload and restart end in the same state.
///
/// What a reconfiguration does in Kea 3.0.4 (read in its source), and so what it saves over a restart:
/// <list type="bullet">
/// <item>config-reload is config-set of the file the server was started with (ctrl_dhcp4_srv.cc:228,
/// loadConfigFile :161). Kea keeps its old config only when parsing fails; after that "every error might
/// have irreversible consequences" (json_config_parser.cc:817), so a reload Kea refuses is repaired by a
/// restart.</item>
/// <item>Every hook library is unloaded and loaded again, whatever changed (json_config_parser.cc:912-921).
/// The HA library's unload stops its service and its dedicated listener (ha_callouts.cc:469-473,
/// ha_impl.cc:72-76); its load builds a new service that starts in the waiting state (ha_service.cc:94) and
/// goes waiting → syncing → ready → load-balancing as after a restart, with the same lease sync from the
/// partner (ha_service.cc:706: dhcp-disable of the partner, lease4-get-page, ha-sync-complete-notify).</item>
/// <item>The DHCP sockets are closed and opened again (json_config_parser.cc:810, ctrl_dhcp4_srv.cc:1307),
/// packets parked for lease updates are discarded (json_config_parser.cc:812), the lease database is
/// destroyed and opened again (json_config_parser.cc:795, ctrl_dhcp4_srv.cc:1251: memfile reads its lease
/// file back) and so are the host reservations (json_config_parser.cc:798: host_cmds' runtime ones go).</item>
/// </list>
/// So the HA state machine starts over as after a restart; what a reload saves is the stop and start of the
/// process. The partner's lease updates fail only while the reloading server's HA listener is down, the
/// tens of milliseconds of the reload itself (the lab: 11-80 ms between Kea's reconfiguration log lines),
/// where after a restart they fail from the stop until the partner's next heartbeat notices (up to
/// heartbeat-delay); Kea drops the client's answer when its lease update fails (ha_service.cc:1557). Measured
/// with the lab's probe (10 exchanges/s, the partner serving every scope): 0-2 unanswered per two-server
/// deploy, 0 in 11 of 21, against 1-3 in each of 6 restart deploys measured beside them. Changes of subnets
/// and reservations avoid all this: <see cref="RuntimeChanges"/> applies them without reconfiguring.
/// </summary>
public static class Reconfiguration
{
    /// <summary>
    /// Why <paramref name="comparisons"/> (a server's files against their renders) cannot be applied by a
    /// reload; null when they can: only kea-dhcp4.conf changed, it exists live, and its control socket (the
    /// Control Agent's way to it) stays as it is.
    /// </summary>
    public static string? Obstacle(IReadOnlyList<ConfigComparison> comparisons)
    {
        if (comparisons.Any(c => c.Rendered.Name != TemplateSet.Dhcp4 && c.Status != LiveStatus.Unchanged))
        {
            return "the Control Agent's config changed, and only its restart applies that";
        }

        var dhcp4 = comparisons.FirstOrDefault(c => c.Rendered.Name == TemplateSet.Dhcp4);
        if (dhcp4 is not { Status: LiveStatus.Changed })
        {
            return dhcp4 is null ? "no DHCPv4 config" : $"the live DHCPv4 config is {dhcp4.Status.ToString().ToLowerInvariant()}";
        }

        if (dhcp4.Changes.FirstOrDefault(c => c.Path.StartsWith("Dhcp4.control-socket", StringComparison.Ordinal)) is { } socket)
        {
            return $"{socket.Path} changed: a reload would move the socket the Control Agent reaches the server through";
        }

        return null;
    }

    /// <summary>
    /// Makes the running server read its config file again (config-reload). Null when Kea took it; else Kea's
    /// words (or why the channel gave none), after which the server may run without sockets or hooks (see above).
    /// </summary>
    public static async Task<string?> ReloadAsync(KeaControlChannel channel, CancellationToken cancellation)
    {
        var answer = await channel.CommandAsync("config-reload", null, cancellation).ConfigureAwait(false);
        return answer.Problem is { } problem ? $"config-reload failed: {problem}" : null;
    }

    /// <summary>
    /// Reads the running config back (config-get) and compares it with <paramref name="rendered"/>, as
    /// <c>status</c> compares a running config with its file; null when every rendered setting runs, else
    /// what differs (for example: the server was started with another file than the one replaced).
    /// </summary>
    public static async Task<string?> RunningDiffersAsync(KeaControlChannel channel, RenderedFile rendered, CancellationToken cancellation)
    {
        var answer = await channel.CommandAsync("config-get", null, cancellation).ConfigureAwait(false);
        if (answer is not { Problem: null, Arguments: { } running })
        {
            return $"config-get failed: {answer.Problem ?? "no config in its answer"}";
        }

        using var wanted = KeaConfig.FromRendered(rendered.Utf8, rendered.Name);
        var differences = RunningConfigDrift.Compare(wanted.Root, running, limit: 5);
        return differences.Count == 0 ? null : $"the running config is not the one rendered after config-reload: {string.Join("; ", differences)}";
    }
}
