using System.Text.RegularExpressions;

namespace KeaGitOps.Remote.Deploy;

/// <summary>
/// Checks the server can run the config before anything is replaced. Kea's own config test cannot
/// catch the user's incident (a this-server-name naming the partner passes -t and -T; only the start
/// fails with "Cannot assign requested address"), so this asks the host itself: is this server's own
/// HA address assigned here, do the interfaces exist, are the HA and agent ports free or Kea's own?
/// </summary>
public static partial class HostFacts
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task CheckAsync(IRemoteHost host, DeployTarget target, CancellationToken cancellation)
    {
        var assigned = await AssignedAddressesAsync(host, cancellation).ConfigureAwait(false);
        var address = target.Server.Address?.ToString();
        if (assigned is null || address is null || !assigned.Contains(address))
        {
            throw new RemoteStepException($"{address} (this server's address in the inventory, the host of its HA peer URL) is not assigned to any interface of {target.Name}; its HA listener could not bind it. Check servers[].address for {target.Name}.");
        }

        var links = await host.RunAsync("ip -o link show", Timeout, cancellation).ConfigureAwait(false);
        var present = LinkNames(links.Output);
        var missing = target.Interfaces.Where(i => !present.Contains(i)).ToList();
        if (missing.Count > 0)
        {
            throw new RemoteStepException($"interface(s) {string.Join(", ", missing)} named in servers[].interfaces do not exist on {target.Name} (it has {string.Join(", ", present.Order(StringComparer.Ordinal))}).");
        }

        var sockets = await host.RunAsync("ss -H -ltnp", Timeout, cancellation).ConfigureAwait(false);
        foreach (var port in new[] { target.HaPort, target.ControlAgent.Port })
        {
            foreach (var holder in Listeners(sockets.Output, port))
            {
                if (!holder.StartsWith("kea", StringComparison.Ordinal))
                {
                    throw new RemoteStepException($"port {port} on {target.Name} is held by {holder}, not by Kea; the HA listener or the Control Agent could not bind it.");
                }
            }
        }
    }

    /// <summary>The IPv4 addresses assigned to the host's interfaces; null when `ip` cannot tell.</summary>
    public static async Task<IReadOnlySet<string>?> AssignedAddressesAsync(IRemoteHost host, CancellationToken cancellation)
    {
        var addresses = await host.RunAsync("ip -o -4 addr show", Timeout, cancellation).ConfigureAwait(false);
        return addresses.Succeeded ? Assigned(addresses.Output) : null;
    }

    private static HashSet<string> Assigned(string ipAddrOutput) =>
        [.. InetAddress().Matches(ipAddrOutput).Select(m => m.Groups[1].Value)];

    private static HashSet<string> LinkNames(string ipLinkOutput) =>
        [.. LinkName().Matches(ipLinkOutput).Select(m => m.Groups[1].Value)];

    /// <summary>Process names listening on the port ("ss -ltnp" prints users:(("kea-dhcp4",pid=…))).</summary>
    private static IEnumerable<string> Listeners(string ssOutput, long port)
    {
        foreach (var line in ssOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length >= 4 && columns[3].EndsWith(":" + port, StringComparison.Ordinal))
            {
                var user = ProcessName().Match(line);
                yield return user.Success ? user.Groups[1].Value : "an unknown process";
            }
        }
    }

    [GeneratedRegex(@"\binet (\d+\.\d+\.\d+\.\d+)/")]
    private static partial Regex InetAddress();

    [GeneratedRegex(@"^\d+:\s+([^:@\s]+)[:@]", RegexOptions.Multiline)]
    private static partial Regex LinkName();

    [GeneratedRegex("users:\\(\\(\"([^\"]+)\"")]
    private static partial Regex ProcessName();
}
