using System.Globalization;
using System.Text;
using KeaGitOps.Core.Kea;

namespace KeaGitOps.Core.Import;

/// <summary>The files an import writes, relative to the output folder, and the report (also one of the files).</summary>
public sealed record ImportOutput(IReadOnlyDictionary<string, string> Files, string Report)
{
    public const string SiteFile = "site.yaml";
    public const string ReportFile = "import-report.md";
}

/// <summary>How imported reservations are laid out for review.</summary>
public enum ReservationGrouping
{
    /// <summary>reservations/subnet-ID.yaml, one file per subnet.</summary>
    Subnet,

    /// <summary>reservations/subnet-ID/PREFIX.yaml: one file per hostname prefix (ble, bulb, camera…).</summary>
    HostnamePrefix,

    /// <summary>In site.yaml, under each subnet.</summary>
    Inline,
}

/// <summary>
/// Writes an <see cref="ImportPlan"/> as an inventory (site.yaml, reservations/subnet-ID.yaml). Every string
/// value is double-quoted (<see cref="YamlValue.Quote"/>); conflicts are marked with a trailing
/// <c># import: conflict …</c> comment on the entry.
/// </summary>
public static class InventoryWriter
{
    private const long AssumedAgentPort = 8001;

    /// <summary>The file of reservations without a usable hostname, when grouped by hostname prefix.</summary>
    private const string NoHostname = "other";

    /// <summary>The inventory's files by path relative to the output folder, and what the writer assumed (for the report).</summary>
    public static (SortedDictionary<string, string> Files, List<string> Assumptions) Write(ImportPlan plan, ReservationGrouping grouping = ReservationGrouping.Subnet, ImportConnection? connection = null)
    {
        var assumptions = new List<string>(plan.Assumed);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var site = new StringBuilder();
        site.Append("# Imported by `keagitops import` from ").Append(string.Join(", ", plan.ServerNames)).Append(" (conflicts decided for ").Append(plan.Preferred).Append(").\n");
        site.Append("# Review import-report.md and every '# import:' comment before the first deploy.\n\n");

        var sections = plan.Settings.GroupBy(s => Section(s.Value.Key)).ToList();
        foreach (var section in sections)
        {
            WriteGroup(site, 0, section.Key, section.ToList());
            if (section.Key == "kea")
            {
                WriteServers(site, plan, connection);
            }

            if (section.Key == "high-availability" && !sections.Exists(s => s.Key == "control-agent"))
            {
                var haPort = (plan.Settings.FirstOrDefault(s => s.Value.Key == "high-availability.port")?.Value.Value as YamlNumber)?.Value;
                var agentPort = KeaDefaults.For("Control-agent", "http-port")!.Value.GetInt64();
                if (ThroughControlAgent(plan))
                {
                    var port = haPort ?? agentPort;
                    var why = "assumed: no kea-ctrl-agent.conf was read; with multi-threading off the HA peers reach each other through the agents, so each listens on its server's address at the peer URLs' port";
                    site.Append("control-agent:\n  port: ").Append(port.ToString(CultureInfo.InvariantCulture)).Append(Comment(why)).Append('\n');
                    assumptions.Add($"control-agent.port: {port}, and each server's control-agent.host its own address ({why})");
                }
                else if (haPort is null || haPort == agentPort)
                {
                    var why = "assumed: no kea-ctrl-agent.conf was read, and Kea's default agent port 8000 is the HA port; check it";
                    site.Append("control-agent:\n  port: ").Append(AssumedAgentPort.ToString(CultureInfo.InvariantCulture)).Append(Comment(why)).Append('\n');
                    assumptions.Add($"control-agent.port: {AssumedAgentPort} ({why})");
                }
            }
        }

        if (!sections.Exists(s => s.Key == "kea"))
        {
            WriteServers(site, plan, connection);
        }

        WriteConnection(site, connection);

        var topLevel = plan.Subnets.Where(s => s.Network is null).ToList();
        if (topLevel.Count > 0 || plan.SharedNetworks.Count == 0)
        {
            site.Append("subnets:").Append(topLevel.Count == 0 ? " []\n" : "\n");
            WriteSubnets(site, 2, topLevel, plan, grouping, files);
        }

        if (plan.SharedNetworks.Count > 0)
        {
            site.Append("shared-networks:\n");
            foreach (var network in plan.SharedNetworks)
            {
                site.Append("  - name: ").Append(YamlValue.Quote(network.Name)).Append(Comment(network.Comment)).Append('\n');
                foreach (var group in network.Settings.GroupBy(s => Section(s.Value.Key)))
                {
                    WriteGroup(site, 4, group.Key, group.ToList());
                }

                var subnets = plan.Subnets.Where(s => s.Network == network.Name).ToList();
                site.Append("    subnets:").Append(subnets.Count == 0 ? " []\n" : "\n");
                WriteSubnets(site, 6, subnets, plan, grouping, files);
            }
        }

        files[ImportOutput.SiteFile] = site.ToString();
        return (files, assumptions);
    }

    /// <summary>Subnets as list items at <paramref name="indent"/> (their keys two deeper), their reservations inline or in files.</summary>
    private static void WriteSubnets(StringBuilder site, int indent, List<MergedSubnet> subnets, ImportPlan plan, ReservationGrouping grouping, SortedDictionary<string, string> files)
    {
        var pad = new string(' ', indent);
        var keys = new string(' ', indent + 2);
        foreach (var subnet in subnets)
        {
            var id = subnet.Id.ToString(CultureInfo.InvariantCulture);
            site.Append(pad).Append("- id: ").Append(id).Append(Comment(subnet.Comment)).Append('\n');
            foreach (var group in subnet.Settings.GroupBy(s => Section(s.Value.Key)))
            {
                WriteGroup(site, indent + 2, group.Key, group.ToList());
            }

            switch (grouping)
            {
                case ReservationGrouping.Inline:
                    // Indented under the subnet's key; the header comment and conflict comments come along.
                    site.Append(keys).Append("reservations:").Append(subnet.Reservations.Count == 0 ? " []\n" : "\n");
                    foreach (var line in Reservations(subnet, plan, subnet.Reservations).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l != "[]"))
                    {
                        site.Append(keys).Append("  ").Append(line).Append('\n');
                    }

                    break;
                case ReservationGrouping.HostnamePrefix:
                    var folder = $"reservations/subnet-{id}/";
                    site.Append(keys).Append("reservations-from: ").Append(YamlValue.Quote(folder)).Append('\n');
                    foreach (var group in subnet.Reservations.GroupBy(r => HostnamePrefix(r.Value)).OrderBy(g => g.Key, StringComparer.Ordinal))
                    {
                        files[$"{folder}{group.Key}.yaml"] = Reservations(subnet, plan, group.ToList());
                    }

                    if (subnet.Reservations.Count == 0)
                    {
                        // reservations-from must name a folder that exists: one empty file a person can append to.
                        files[$"{folder}{NoHostname}.yaml"] = Reservations(subnet, plan, []);
                    }

                    break;
                default:
                    var file = $"reservations/subnet-{id}.yaml";
                    site.Append(keys).Append("reservations-from: ").Append(YamlValue.Quote(file)).Append('\n');
                    files[file] = Reservations(subnet, plan, subnet.Reservations);
                    break;
            }
        }
    }

    private static string Section(string key) => key.Contains('.', StringComparison.Ordinal) ? key[..key.IndexOf('.', StringComparison.Ordinal)] : key;

    private static void WriteGroup(StringBuilder text, int indent, string section, List<Commented<Setting>> settings)
    {
        var pad = new string(' ', indent);
        if (settings.Count == 1 && settings[0].Value.Key == section)
        {
            text.Append(pad).Append(YamlMap.YamlKey(section)).Append(": ").Append(settings[0].Value.Value.ToYaml()).Append(Comment(settings[0].Comment)).Append('\n');
            return;
        }

        text.Append(pad).Append(YamlMap.YamlKey(section)).Append(":\n");
        foreach (var setting in settings)
        {
            var key = setting.Value.Key[(section.Length + 1)..];
            text.Append(pad).Append("  ").Append(YamlMap.YamlKey(key)).Append(": ").Append(setting.Value.Value.ToYaml()).Append(Comment(setting.Comment)).Append('\n');
        }
    }

    /// <summary>The SSH settings all servers were reached with, and where their configs live, as inventory sections.</summary>
    private static void WriteConnection(StringBuilder text, ImportConnection? connection)
    {
        if (connection is null)
        {
            return;
        }

        var shared = new List<KeyValuePair<string, YamlValue>>();
        var users = connection.Servers.Values.Select(s => s.User).Distinct().ToList();
        if (users.Count == 1)
        {
            shared.Add(KeyValuePair.Create("user", YamlValue.String(users[0])));
        }

        var ports = connection.Servers.Values.Select(s => s.Port).Distinct().ToList();
        if (ports.Count == 1 && ports[0] != 22)
        {
            shared.Add(KeyValuePair.Create("port", YamlValue.Number(ports[0])));
        }

        if (connection.KeyFile is { } keyFile)
        {
            shared.Add(KeyValuePair.Create("key-file", YamlValue.String(keyFile)));
        }

        if (connection.KnownHosts is { } knownHosts)
        {
            shared.Add(KeyValuePair.Create("known-hosts", YamlValue.String(knownHosts)));
        }

        if (shared.Count > 0)
        {
            text.Append("ssh:\n");
            foreach (var (key, value) in shared)
            {
                text.Append("  ").Append(YamlMap.YamlKey(key)).Append(": ").Append(value.ToYaml()).Append('\n');
            }
        }

        if (connection.ConfigDirectory is { } directory)
        {
            text.Append("deploy:\n  config-directory: ").Append(YamlValue.Quote(directory)).Append('\n');
        }
    }

    /// <summary>A server's own SSH settings: what differs from its HA address and from the settings all servers share.</summary>
    private static YamlMap? OwnSsh(MergedServer server, ImportConnection? connection)
    {
        if (connection is null || !connection.Servers.TryGetValue(server.Name, out var reached))
        {
            return null;
        }

        var entries = new List<KeyValuePair<string, YamlValue>>();
        if (reached.Host != server.Address)
        {
            entries.Add(KeyValuePair.Create("host", YamlValue.String(reached.Host)));
        }

        if (connection.Servers.Values.Select(s => s.User).Distinct().Count() > 1)
        {
            entries.Add(KeyValuePair.Create("user", YamlValue.String(reached.User)));
        }

        if (connection.Servers.Values.Select(s => s.Port).Distinct().Count() > 1)
        {
            entries.Add(KeyValuePair.Create("port", YamlValue.Number(reached.Port)));
        }

        return entries.Count == 0 ? null : new YamlMap(entries);
    }

    /// <summary>Whether the imported config turns multi-threading off, so that the HA peers reach each other through their agents (Rendering.HaPeers).</summary>
    private static bool ThroughControlAgent(ImportPlan plan) =>
        plan.Settings.FirstOrDefault(s => s.Value.Key == Sections.MultiThreadingSection.EnabledKey)?.Value.Value is YamlBool { Value: false };

    private static void WriteServers(StringBuilder text, ImportPlan plan, ImportConnection? connection)
    {
        text.Append("servers:\n");
        foreach (var server in plan.Servers)
        {
            var entries = new List<KeyValuePair<string, YamlValue>> { KeyValuePair.Create("name", YamlValue.String(server.Name)) };
            if (server.Address is not null)
            {
                entries.Add(KeyValuePair.Create("address", YamlValue.String(server.Address)));
            }

            if (server.Role is not null)
            {
                entries.Add(KeyValuePair.Create("role", YamlValue.String(server.Role)));
            }

            entries.Add(KeyValuePair.Create("interfaces", (YamlValue)new YamlList(server.Interfaces.Select(YamlValue.String).ToList())));
            if (OwnSsh(server, connection) is { } ssh)
            {
                entries.Add(KeyValuePair.Create("ssh", (YamlValue)ssh));
            }

            // What is the server's own: its agent's address, and Kea keys under the section they belong to.
            var own = server.Own ?? [];
            if (server.AgentHost is null && server.Address is { } address && ThroughControlAgent(plan) && !plan.Settings.Any(s => s.Value.Key.StartsWith("control-agent.", StringComparison.Ordinal)))
            {
                // No agent config was read: the peers' HA requests go to the agent at the server's own address (see above).
                entries.Add(KeyValuePair.Create("control-agent", (YamlValue)new YamlMap([KeyValuePair.Create("host", YamlValue.String(address))])));
            }
            else if (server.AgentHost is { } agentHost)
            {
                entries.Add(KeyValuePair.Create("control-agent", (YamlValue)new YamlMap([KeyValuePair.Create("host", YamlValue.String(agentHost))])));
            }

            const string Ha = "high-availability.";
            var dhcp4 = Nested(own.Where(s => !s.Key.StartsWith(Ha, StringComparison.Ordinal)));
            if (dhcp4.Count > 0)
            {
                entries.Add(KeyValuePair.Create("dhcp4", (YamlValue)new YamlMap(dhcp4)));
            }

            var ha = own.Where(s => s.Key.StartsWith(Ha, StringComparison.Ordinal)).Select(s => KeyValuePair.Create(s.Key[Ha.Length..], s.Value)).ToList();
            if (ha.Count > 0)
            {
                entries.Add(KeyValuePair.Create("high-availability", (YamlValue)new YamlMap(ha)));
            }

            text.Append("  - ").Append(new YamlMap(entries).ToYaml()).Append(Comment(server.Comment)).Append('\n');
        }
    }

    /// <summary>Dotted settings (interfaces-config.dhcp-socket-type) as nested maps, in the order first written.</summary>
    private static List<KeyValuePair<string, YamlValue>> Nested(IEnumerable<Setting> settings)
    {
        var result = new List<KeyValuePair<string, YamlValue>>();
        foreach (var group in settings.GroupBy(s => Section(s.Key)))
        {
            var items = group.ToList();
            result.Add(items is [{ } only] && only.Key == group.Key
                ? KeyValuePair.Create(group.Key, only.Value)
                : KeyValuePair.Create(group.Key, (YamlValue)new YamlMap(Nested(items.Select(s => new Setting(s.Key[(group.Key.Length + 1)..], s.Value))))));
        }

        return result;
    }

    /// <summary>
    /// The hostname's first word ("ble-proxy-kitchen" → "ble", "bulb2" → "bulb"), a file name for a group of
    /// alike devices; "other" without a usable hostname.
    /// </summary>
    private static string HostnamePrefix(ImportedReservation reservation)
    {
        var word = new string((reservation.Hostname ?? string.Empty).TakeWhile(char.IsAsciiLetter).ToArray()).ToLowerInvariant();
        return word.Length == 0 ? NoHostname : word;
    }

    private static string Reservations(MergedSubnet subnet, ImportPlan plan, IReadOnlyList<Commented<ImportedReservation>> reservations)
    {
        var text = new StringBuilder();
        var prefix = (subnet.Settings.FirstOrDefault(s => s.Value.Key == "subnet")?.Value.Value as YamlString)?.Value ?? string.Empty;
        text.Append("# Reservations of subnet ").Append(subnet.Id.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(CommentText(prefix))
            .Append(", imported from ").Append(string.Join(", ", plan.ServerNames)).Append("; sorted by address.\n");
        if (reservations.Count == 0)
        {
            // No "[]": a file of comments only is an empty list, and a line appended to it is a list of one.
            text.Append("# None yet: add one per line, as - { hw-address: \"aa:bb:cc:dd:ee:ff\", ip-address: \"192.0.2.10\", hostname: \"name\" }\n");
        }

        foreach (var reservation in reservations)
        {
            text.Append("- ").Append(reservation.Value.ToValue().ToYaml()).Append(Comment(reservation.Comment)).Append('\n');
            foreach (var left in subnet.LeftOut.Where(l => l.Value.Address is not null && l.Value.Address == reservation.Value.Address))
            {
                text.Append("# import: conflict, left out: - ").Append(CommentText(left.Value.ToValue().ToYaml())).Append("  (").Append(CommentText(left.Comment ?? string.Empty)).Append(")\n");
            }
        }

        return text.ToString();
    }

    private static string Comment(string? comment) => comment is null ? string.Empty : "  # import: " + CommentText(comment);

    /// <summary>A comment ends at the line's end: imported text in it must not start a new line.</summary>
    internal static string CommentText(string text) => new(text.Select(c => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085' ? ' ' : c).ToArray());

}
