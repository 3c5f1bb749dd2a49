using System.Globalization;
using System.Text;
using System.Text.Json;
using KeaGitOps.Remote.Status;

namespace KeaGitOps.Cli.Output;

/// <summary>How <c>keagitops status</c> prints: a table for people, JSON for scripts, Prometheus' text format for monitoring.</summary>
public enum StatusFormat
{
    Text,
    Json,
    Prometheus,
}

/// <summary>One reading of the pair: what was gathered, its verdict, and the load split to show (cumulative or the interval's).</summary>
public sealed record StatusReport(IReadOnlyList<ServerStatus> Servers, StatusVerdict Verdict, StatusThresholds Thresholds, string LoadSummary, DateTimeOffset Taken);

/// <summary>The table a person reads on a terminal: one screen with health, HA, drift, pools and the load split.</summary>
public sealed class StatusTableWriter(TextWriter output, bool color)
{
    private static readonly string[] ServerHeader = ["server", "address", "dhcp4", "agent", "kea", "uptime", "HA state", "partner (as seen)", "config"];
    private static readonly string[] PoolHeader = ["server", "subnet", "pool", "total", "assigned", "declined", "used"];

    public void Write(StatusReport report)
    {
        var verdict = report.Verdict;
        output.WriteLine(Paint(verdict.Headline, LevelColour(verdict.Level)));
        output.WriteLine($"{verdict.HaSummary}; {report.LoadSummary}");
        output.WriteLine();

        var rows = new List<string[]> { ServerHeader };
        foreach (var s in report.Servers)
        {
            if (s.Unreachable is not null)
            {
                rows.Add([s.Server, s.Address, "?", "?", "?", "-", "unreachable", "-", "-"]);
                continue;
            }

            rows.Add([
                s.Server,
                s.Address,
                Active(s.Dhcp4Active),
                Active(s.AgentActive),
                s.KeaVersion is null ? "?" : s.KeaVersion + (StatusEvaluator.SameRelease(s.KeaVersion, s.WantedVersion) ? string.Empty : $" (want {s.WantedVersion})"),
                s.UptimeSeconds is { } up ? Duration(up) : "-",
                s.Ha?.State ?? (s.ControlProblem is null ? "no HA" : "?"),
                Partner(s.Ha),
                Drift(s.Drift),
            ]);
        }

        WriteTable(rows);

        var pools = report.Servers.SelectMany(s => s.Pools.Where(p => !StatusEvaluator.RepeatsItsSubnet(s.Pools, p)).Select(p => (s.Server, Pool: p))).ToList();
        if (pools.Count > 0)
        {
            output.WriteLine();
            var poolRows = new List<string[]> { PoolHeader };
            foreach (var (server, p) in pools)
            {
                var used = $"{p.PercentUsed.ToString("0.0", CultureInfo.InvariantCulture)} %";
                var level = p.PercentUsed >= report.Thresholds.Critical ? StatusLevel.Critical : p.PercentUsed >= report.Thresholds.Warning ? StatusLevel.Warning : StatusLevel.Ok;
                poolRows.Add([server, $"{p.SubnetId} {p.Subnet}".Trim(), p.Pool is null ? "(all)" : p.Range ?? $"pool {p.Pool}", Number(p.Total), Number(p.Assigned), Number(p.Declined), level == StatusLevel.Ok ? used : "\0" + (int)level + used]);
            }

            WriteTable(poolRows);
        }

        var details = report.Servers.Where(s => s.Drift is { } d && (d.RunningChanges.Count > 0 || d.Problem is not null || d.DeployedCommit is not null)).ToList();
        if (details.Count > 0 || verdict.Findings.Count > 0)
        {
            output.WriteLine();
        }

        foreach (var s in details)
        {
            var d = s.Drift!;
            if (d.DeployedCommit is { } commit)
            {
                output.WriteLine($"{s.Server}: kea-dhcp4.conf rendered from commit {commit[..Math.Min(12, commit.Length)]}{(d.RunningHash is { } hash ? $", running config hash {hash[..Math.Min(12, hash.Length)]}" : string.Empty)}");
            }

            foreach (var change in d.RunningChanges)
            {
                output.WriteLine($"{s.Server}: running config: {change}");
            }

            if (d.Problem is { } problem)
            {
                output.WriteLine($"{s.Server}: running config not compared: {problem}");
            }
        }

        foreach (var finding in verdict.Findings)
        {
            output.WriteLine($"{Paint(finding.Level.ToString().ToUpperInvariant(), LevelColour(finding.Level))} {finding}");
        }
    }

    private void WriteTable(List<string[]> rows)
    {
        // A cell starting with \0 and a level digit is painted in that level's colour; widths ignore the marker.
        static string Text(string cell) => cell.Length > 1 && cell[0] == '\0' ? cell[2..] : cell;
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => Text(r[i]).Length)).ToArray();
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                var cell = row[i];
                var text = Text(cell);
                var padded = i == row.Length - 1 ? text : text.PadRight(widths[i] + 2);
                line.Append(cell.Length > 1 && cell[0] == '\0' ? Paint(padded, LevelColour((StatusLevel)(cell[1] - '0'))) : padded);
            }

            output.WriteLine(line.ToString().TrimEnd());
        }
    }

    private static string Active(bool? active) => active switch { true => "active", false => "DOWN", null => "?" };

    private static string Partner(HaStatus? ha)
    {
        if (ha?.Partner is null)
        {
            return "-";
        }

        var touch = ha.CommunicationInterrupted == true ? "INTERRUPTED" : ha.InTouch == true ? "in touch" : "not in touch";
        return $"{ha.Partner} {ha.PartnerState ?? "?"}, {touch}, {ha.UnackedClients ?? 0} unacked; serves {(ha.Scopes.Count == 0 ? "no scope" : string.Join("+", ha.Scopes))}";
    }

    private static string Drift(ConfigDrift? drift)
    {
        if (drift is null)
        {
            return "?";
        }

        var parts = new List<string>();
        if (drift.FileVsInventory is { } file && file != "Unchanged")
        {
            parts.Add(file == "Changed" ? $"file != inventory ({drift.FileChanges.Count})" : $"file {file.ToLowerInvariant()}");
        }

        if (drift.EditedByHand)
        {
            parts.Add("edited by hand");
        }

        if (drift.RunningMatchesFile == false)
        {
            parts.Add($"running != file ({drift.RunningChanges.Count})");
        }

        return parts.Count == 0 ? (drift.RunningMatchesFile is null ? "file = inventory, running ?" : "in sync") : string.Join(", ", parts);
    }

    private static string Duration(long seconds) =>
        seconds >= 86400 ? $"{seconds / 86400}d{seconds % 86400 / 3600}h" : seconds >= 3600 ? $"{seconds / 3600}h{seconds % 3600 / 60:00}m" : seconds >= 60 ? $"{seconds / 60}m{seconds % 60:00}s" : $"{seconds}s";

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string LevelColour(StatusLevel level) => level switch
    {
        StatusLevel.Ok => "32",
        StatusLevel.Warning => "33",
        StatusLevel.Critical => "31",
        _ => "35",
    };

    private string Paint(string text, string ansi) => color ? $"\u001b[{ansi}m{text}\u001b[0m" : text;
}

/// <summary>status --format json: everything gathered plus the verdict, in one document.</summary>
public static class StatusJsonWriter
{
    public static void Write(TextWriter output, StatusReport report)
    {
        var document = new
        {
            level = report.Verdict.Level.ToString().ToUpperInvariant(),
            exitCode = (int)report.Verdict.Level,
            headline = report.Verdict.Headline,
            ha = report.Verdict.HaSummary,
            load = report.LoadSummary,
            taken = report.Taken.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            thresholds = new { warning = report.Thresholds.Warning, critical = report.Thresholds.Critical },
            findings = report.Verdict.Findings.Select(f => new { level = f.Level.ToString().ToUpperInvariant(), server = f.Server, message = f.Message }),
            servers = report.Servers,
        };
        output.WriteLine(JsonSerializer.Serialize(document, Options));
    }

    private static readonly JsonSerializerOptions Options = new(DiagnosticWriter.JsonOptions) { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}

/// <summary>
/// status --format prometheus: Prometheus' text exposition format (for node_exporter's textfile collector or a
/// scrape), each metric with HELP and TYPE, names documented in the README ("Monitoring").
/// </summary>
public static class PrometheusWriter
{
    /// <summary>The HA states Kea names; each server gets a 0/1 sample for every one, so an alert can watch one state.</summary>
    private static readonly string[] HaStates =
    [
        "backup", "communication-recovery", "hot-standby", "in-maintenance", "load-balancing", "partner-down",
        "partner-in-maintenance", "passive-backup", "ready", "syncing", "terminated", "waiting",
    ];

    public static void Write(TextWriter output, StatusReport report)
    {
        var text = new StringBuilder();
        var servers = report.Servers;

        Family(text, "keagitops_up", "gauge", "1 when keagitops reached the server over SSH.",
            servers.Select(s => (Labels(("server", s.Server)), Flag(s.Unreachable is null))));
        Family(text, "keagitops_dhcp4_active", "gauge", "1 while kea-dhcp4 runs (deploy.status-command).",
            servers.Where(s => s.Dhcp4Active is not null).Select(s => (Labels(("server", s.Server)), Flag(s.Dhcp4Active == true))));
        Family(text, "keagitops_agent_active", "gauge", "1 while the Kea Control Agent runs (deploy.agent-status-command).",
            servers.Where(s => s.AgentActive is not null).Select(s => (Labels(("server", s.Server)), Flag(s.AgentActive == true))));
        Family(text, "keagitops_kea_version_info", "gauge", "The Kea version running (kea-dhcp4 -V) and the inventory's kea.version; always 1.",
            servers.Where(s => s.KeaVersion is not null).Select(s => (Labels(("server", s.Server), ("version", s.KeaVersion!), ("wanted", s.WantedVersion)), 1.0)));
        Family(text, "keagitops_kea_version_match", "gauge", "1 when the running Kea is the release kea.version names.",
            servers.Where(s => s.KeaVersion is not null).Select(s => (Labels(("server", s.Server)), Flag(StatusEvaluator.SameRelease(s.KeaVersion!, s.WantedVersion)))));
        Family(text, "keagitops_uptime_seconds", "gauge", "Seconds since kea-dhcp4 started (status-get).",
            servers.Where(s => s.UptimeSeconds is not null).Select(s => (Labels(("server", s.Server)), (double)s.UptimeSeconds!.Value)));
        Family(text, "keagitops_config_age_seconds", "gauge", "Seconds since kea-dhcp4 last loaded a config (status-get reload).",
            servers.Where(s => s.SecondsSinceReload is not null).Select(s => (Labels(("server", s.Server)), (double)s.SecondsSinceReload!.Value)));
        Family(text, "keagitops_ha_state", "gauge", "1 for the server's current HA state, 0 for the others.",
            servers.Where(s => s.Ha is not null).SelectMany(s => HaStates.Union([s.Ha!.State]).Select(state => (Labels(("server", s.Server), ("state", state)), Flag(state == s.Ha.State)))));
        Family(text, "keagitops_ha_partner_in_touch", "gauge", "1 when the server is in touch with its HA partner.",
            servers.Where(s => s.Ha?.InTouch is not null).Select(s => (Labels(("server", s.Server), ("partner", s.Ha!.Partner ?? string.Empty)), Flag(s.Ha.InTouch == true))));
        Family(text, "keagitops_ha_communication_interrupted", "gauge", "1 when the server's communication with its HA partner is interrupted.",
            servers.Where(s => s.Ha?.CommunicationInterrupted is not null).Select(s => (Labels(("server", s.Server)), Flag(s.Ha!.CommunicationInterrupted == true))));
        Family(text, "keagitops_ha_unacked_clients", "gauge", "Clients the server saw its partner leave unanswered (HA failure detection).",
            servers.Where(s => s.Ha?.UnackedClients is not null).Select(s => (Labels(("server", s.Server)), (double)s.Ha!.UnackedClients!.Value)));
        Family(text, "keagitops_ha_scopes", "gauge", "HA scopes (servers' shares of clients) this server serves now.",
            servers.Where(s => s.Ha is not null).Select(s => (Labels(("server", s.Server)), (double)s.Ha!.Scopes.Count)));
        Family(text, "keagitops_config_drift", "gauge", "1 when a config drifted: kind file (live file vs inventory render), hand-edit (file vs its own digest), running (config-get vs file).",
            servers.Where(s => s.Drift is not null).SelectMany(s => new[]
            {
                (Labels(("server", s.Server), ("kind", "file")), Flag(s.Drift!.FileVsInventory is not null and not "Unchanged")),
                (Labels(("server", s.Server), ("kind", "hand-edit")), Flag(s.Drift.EditedByHand)),
                (Labels(("server", s.Server), ("kind", "running")), Flag(s.Drift.RunningMatchesFile == false)),
            }));

        var subnets = servers.SelectMany(s => s.Pools.Where(p => p.Pool is null).Select(p => (s.Server, Pool: p))).ToList();
        var pools = servers.SelectMany(s => s.Pools.Where(p => p.Pool is not null).Select(p => (s.Server, Pool: p))).ToList();
        Family(text, "keagitops_subnet_total_addresses", "gauge", "Addresses in the subnet's pools (Kea's subnet[ID].total-addresses).",
            subnets.Select(x => (SubnetLabels(x.Server, x.Pool), (double)x.Pool.Total)));
        Family(text, "keagitops_subnet_assigned_addresses", "gauge", "Leased addresses in the subnet (subnet[ID].assigned-addresses).",
            subnets.Select(x => (SubnetLabels(x.Server, x.Pool), (double)x.Pool.Assigned)));
        Family(text, "keagitops_subnet_declined_addresses", "gauge", "Declined addresses in the subnet (subnet[ID].declined-addresses).",
            subnets.Select(x => (SubnetLabels(x.Server, x.Pool), (double)x.Pool.Declined)));
        Family(text, "keagitops_subnet_usage_ratio", "gauge", "(assigned + declined) / total for the subnet, 0 to 1.",
            subnets.Select(x => (SubnetLabels(x.Server, x.Pool), x.Pool.PercentUsed / 100)));
        Family(text, "keagitops_pool_total_addresses", "gauge", "Addresses in the pool (Kea counts pools by pool-id: pools sharing one are one).",
            pools.Select(x => (PoolLabels(x.Server, x.Pool), (double)x.Pool.Total)));
        Family(text, "keagitops_pool_assigned_addresses", "gauge", "Leased addresses in the pool.",
            pools.Select(x => (PoolLabels(x.Server, x.Pool), (double)x.Pool.Assigned)));
        Family(text, "keagitops_pool_declined_addresses", "gauge", "Declined addresses in the pool.",
            pools.Select(x => (PoolLabels(x.Server, x.Pool), (double)x.Pool.Declined)));
        Family(text, "keagitops_pool_usage_ratio", "gauge", "(assigned + declined) / total for the pool, 0 to 1.",
            pools.Select(x => (PoolLabels(x.Server, x.Pool), x.Pool.PercentUsed / 100)));
        Family(text, "keagitops_dhcp4_acks_sent_total", "counter", "DHCPACKs the server sent since kea-dhcp4 started (pkt4-ack-sent): the load split.",
            servers.Where(s => s.Load is not null).Select(s => (Labels(("server", s.Server)), (double)s.Load!.AcksSent)));
        Family(text, "keagitops_dhcp4_offers_sent_total", "counter", "DHCPOFFERs the server sent since kea-dhcp4 started (pkt4-offer-sent).",
            servers.Where(s => s.Load is not null).Select(s => (Labels(("server", s.Server)), (double)s.Load!.OffersSent)));
        Family(text, "keagitops_dhcp4_packets_received_total", "counter", "DHCPv4 packets the server received since kea-dhcp4 started (pkt4-received).",
            servers.Where(s => s.Load is not null).Select(s => (Labels(("server", s.Server)), (double)s.Load!.PacketsReceived)));
        Family(text, "keagitops_status", "gauge", "The verdict as status --check's exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
            [(string.Empty, (double)(int)report.Verdict.Level)]);
        output.Write(text.ToString());
    }

    private static void Family(StringBuilder text, string name, string type, string help, IEnumerable<(string Labels, double Value)> samples)
    {
        var list = samples.ToList();
        if (list.Count == 0)
        {
            return;
        }

        text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value) in list)
        {
            text.Append(name).Append(labels).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static string SubnetLabels(string server, PoolUse pool) =>
        Labels(("server", server), ("subnet_id", pool.SubnetId.ToString(CultureInfo.InvariantCulture)), ("subnet", pool.Subnet ?? string.Empty));

    private static string PoolLabels(string server, PoolUse pool) =>
        Labels(("server", server), ("subnet_id", pool.SubnetId.ToString(CultureInfo.InvariantCulture)), ("subnet", pool.Subnet ?? string.Empty), ("pool", pool.Range ?? pool.Pool!.Value.ToString(CultureInfo.InvariantCulture)));

    private static double Flag(bool value) => value ? 1 : 0;

    /// <summary>{name="value",…} with the exposition format's escapes (backslash, double quote, newline).</summary>
    private static string Labels(params (string Name, string Value)[] labels) =>
        "{" + string.Join(",", labels.Select(l => $"{l.Name}=\"{l.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"")) + "}";
}
