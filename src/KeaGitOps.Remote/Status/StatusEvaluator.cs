using System.Globalization;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Remote.Kea;

namespace KeaGitOps.Remote.Status;

/// <summary>The monitoring-plugin levels; the numbers are the exit codes of <c>status --check</c>.</summary>
public enum StatusLevel
{
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
}

/// <summary>Pool use at or above Warning percent is a warning, at or above Critical percent critical (Stork's 80 and 90 by default).</summary>
public sealed record StatusThresholds(double Warning = 80, double Critical = 90);

/// <summary>One thing status found wrong, with the server it concerns (null: the pair).</summary>
public sealed record StatusFinding(StatusLevel Level, string? Server, string Message)
{
    public override string ToString() => Server is null ? Message : $"{Server}: {Message}";
}

/// <summary>The verdict on the pair: the worst level found, every finding, and the one-line HA verdict.</summary>
public sealed record StatusVerdict(StatusLevel Level, IReadOnlyList<StatusFinding> Findings, string HaSummary, string LoadSummary)
{
    /// <summary>The first line a monitoring system shows: <c>KEAGITOPS OK - healthy: load-balancing on both</c>.</summary>
    public string Headline => $"KEAGITOPS {Level.ToString().ToUpperInvariant()} - " + (Findings.Count == 0
        ? HaSummary
        : string.Join("; ", Findings.OrderByDescending(f => Severity(f.Level)).Select(f => f.ToString())));

    /// <summary>CRITICAL outranks UNKNOWN (something is known to be down), UNKNOWN outranks WARNING (something could not be checked).</summary>
    public static int Severity(StatusLevel level) => level switch
    {
        StatusLevel.Critical => 3,
        StatusLevel.Unknown => 2,
        StatusLevel.Warning => 1,
        _ => 0,
    };
}

/// <summary>
/// Judges what status gathered: pure, so every verdict, threshold and exit code is unit-tested with
/// hand-made <see cref="ServerStatus"/> values. A server that cannot be reached or whose kea-dhcp4 is
/// down is CRITICAL; a pool at the critical threshold too. HA not in a shared healthy state, a drift of
/// the file or of the running config, an agent down, a Kea version other than the inventory's, a pool at
/// the warning threshold: WARNING. A control channel that does not answer while the daemon runs: UNKNOWN.
/// </summary>
public static class StatusEvaluator
{
    private static readonly HashSet<string> Degraded = new(StringComparer.Ordinal)
    {
        "partner-down", "partner-in-maintenance", "in-maintenance", "waiting", "syncing", "ready", "communication-recovery",
    };

    public static StatusVerdict Evaluate(IReadOnlyList<ServerStatus> servers, StatusThresholds thresholds)
    {
        var findings = new List<StatusFinding>();
        foreach (var server in servers)
        {
            findings.AddRange(Judge(server, thresholds));
        }

        var level = findings.Count == 0 ? StatusLevel.Ok : findings.MaxBy(f => StatusVerdict.Severity(f.Level))!.Level;
        return new StatusVerdict(level, findings, HaSummary(servers), LoadSummary(servers, cumulative: true));
    }

    private static IEnumerable<StatusFinding> Judge(ServerStatus s, StatusThresholds thresholds)
    {
        StatusFinding Found(StatusLevel level, string message) => new(level, s.Server, message);

        if (s.Unreachable is { } why)
        {
            yield return Found(StatusLevel.Critical, $"unreachable ({why})");
            yield break;
        }

        if (s.Dhcp4Active == false)
        {
            yield return Found(StatusLevel.Critical, "kea-dhcp4 is not running");
        }

        if (s.AgentActive == false)
        {
            yield return Found(StatusLevel.Warning, "the Control Agent is not running (keagitops cannot see HA, pools or the running config, nor deploy)");
        }

        if (s.KeaVersion is { } version && !SameRelease(version, s.WantedVersion))
        {
            yield return Found(StatusLevel.Warning, $"runs Kea {version}, the inventory says kea.version {s.WantedVersion}");
        }

        if (s.ControlProblem is { } problem)
        {
            if (s.Dhcp4Active != false)
            {
                yield return Found(StatusLevel.Unknown, problem);
            }
        }
        else if (s.Ha is null)
        {
            yield return Found(StatusLevel.Warning, "no HA relationship (the HA hook is not loaded)");
        }
        else
        {
            if (s.Ha.State == "terminated")
            {
                yield return Found(StatusLevel.Critical, "HA state terminated (the partners disagree, e.g. clocks apart; it serves no one)");
            }
            else if (!KeaControlChannel.HealthyHaStates.Contains(s.Ha.State))
            {
                yield return Found(StatusLevel.Warning, $"HA state {s.Ha.State}" + (Degraded.Contains(s.Ha.State) ? string.Empty : " (not one Kea names healthy)"));
            }

            if (s.Ha.CommunicationInterrupted == true)
            {
                yield return Found(StatusLevel.Warning, $"communication with {s.Ha.Partner ?? "the partner"} interrupted ({s.Ha.UnackedClients ?? 0} unacked clients)");
            }
        }

        if (s.Drift is { } drift)
        {
            if (drift.FileVsInventory is "Changed" or "Missing" or "Unreadable")
            {
                var what = drift.FileVsInventory switch
                {
                    "Missing" => "the live kea-dhcp4.conf is missing",
                    "Unreadable" => "Kea cannot read the live kea-dhcp4.conf",
                    _ => $"the live kea-dhcp4.conf differs from what the inventory renders now ({Count(drift.FileChanges.Count, "change")}); run keagitops diff, then deploy",
                };
                yield return Found(StatusLevel.Warning, what);
            }

            if (drift.EditedByHand)
            {
                yield return Found(StatusLevel.Warning, "the live kea-dhcp4.conf was edited by hand since keagitops rendered it");
            }

            if (drift.RunningMatchesFile == false)
            {
                yield return Found(StatusLevel.Warning, $"the running config differs from kea-dhcp4.conf ({string.Join("; ", drift.RunningChanges.Take(3))}{(drift.RunningChanges.Count > 3 ? "; …" : string.Empty)}): an API change (config-set, a runtime reservation) or a file not loaded yet");
            }
        }

        foreach (var pool in s.Pools.Where(p => p.Pool is null || !RepeatsItsSubnet(s.Pools, p)))
        {
            var name = pool.Pool is null ? $"subnet {pool.Subnet ?? pool.SubnetId.ToString(CultureInfo.InvariantCulture)}" : $"subnet {pool.SubnetId} pool {pool.Range ?? pool.Pool.Value.ToString(CultureInfo.InvariantCulture)}";
            var used = $"{name} {pool.PercentUsed.ToString("0.#", CultureInfo.InvariantCulture)} % used ({pool.Assigned + pool.Declined} of {pool.Total})";
            if (pool.PercentUsed >= thresholds.Critical)
            {
                yield return Found(StatusLevel.Critical, used);
            }
            else if (pool.PercentUsed >= thresholds.Warning)
            {
                yield return Found(StatusLevel.Warning, used);
            }
        }
    }

    /// <summary>
    /// Kea numbers pools by pool-id (0 unless the config sets one), so a subnet whose pools share an id has
    /// one pool entry equal to the subnet's: it adds nothing to read or to warn about twice.
    /// </summary>
    public static bool RepeatsItsSubnet(IReadOnlyList<PoolUse> pools, PoolUse pool) =>
        pool.Pool is not null && pools.Any(p => p.Pool is null && p.SubnetId == pool.SubnetId && p.Total == pool.Total && p.Assigned == pool.Assigned && p.Declined == pool.Declined);

    /// <summary>"3.0.4" is release "3.0"; a version naming more than major.minor must match as far as it goes.</summary>
    public static bool SameRelease(string running, string wanted) =>
        string.IsNullOrEmpty(wanted) || KeaVersions.IsReleaseOf(running, wanted);

    /// <summary>"healthy: load-balancing on both", or each server's state.</summary>
    public static string HaSummary(IReadOnlyList<ServerStatus> servers)
    {
        var states = servers.Select(s => (s.Server, State: s.Unreachable is not null ? "unreachable" : s.Dhcp4Active == false ? "kea-dhcp4 down" : s.Ha?.State ?? "HA unknown")).ToList();
        if (states.Count > 0 && states.All(s => KeaControlChannel.HealthyHaStates.Contains(s.State)) && servers.All(s => s.Ha?.CommunicationInterrupted != true))
        {
            var distinct = states.Select(s => s.State).Distinct(StringComparer.Ordinal).ToList();
            return distinct.Count == 1
                ? $"healthy: {distinct[0]} on {(states.Count == 2 ? "both" : states.Count == 1 ? states[0].Server : $"all {states.Count}")}"
                : "healthy: " + string.Join(", ", states.Select(s => $"{s.Server} {s.State}"));
        }

        return "not healthy: " + string.Join(", ", states.Select(s => $"{s.Server} {s.State}"));
    }

    /// <summary>"load split (since each daemon started): kea-dhcp-1 31 acks (52 %), kea-dhcp-2 29 acks (48 %)".</summary>
    public static string LoadSummary(IReadOnlyList<ServerStatus> servers, bool cumulative, TimeSpan? interval = null)
    {
        var loads = servers.Where(s => s.Load is not null).Select(s => (s.Server, Acks: s.Load!.AcksSent)).ToList();
        if (loads.Count == 0)
        {
            return "load split: unknown (no statistics)";
        }

        var total = loads.Sum(l => l.Acks);
        var when = cumulative ? "since each daemon started" : $"last {interval?.TotalSeconds ?? 0:0} s";
        var parts = loads.Select(l => $"{l.Server} {l.Acks} acks" + (total > 0 ? $" ({Share(l.Acks, total).ToString("0", CultureInfo.InvariantCulture)} %)" : string.Empty));
        return $"load split ({when}): {string.Join(", ", parts)}";
    }

    /// <summary>One server's percentage of <paramref name="total"/>.</summary>
    public static double Share(long part, long total) => total <= 0 ? 0 : Math.Round(100.0 * part / total, 1);

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? string.Empty : "s")}";
}
