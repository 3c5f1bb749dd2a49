namespace KeaGitOps.Remote.Status;

/// <summary>
/// What keagitops status learned about one server. A null value was not learned (the step before it
/// failed); the matching *Problem says why. Pure data: <see cref="StatusEvaluator"/> judges it.
/// </summary>
public sealed record ServerStatus(string Server, string Address)
{
    /// <summary>Null when SSH reached the server; else why not.</summary>
    public string? Unreachable { get; init; }

    /// <summary>deploy.status-command exited 0.</summary>
    public bool? Dhcp4Active { get; init; }

    /// <summary>deploy.agent-status-command exited 0.</summary>
    public bool? AgentActive { get; init; }

    /// <summary>What <c>kea-dhcp4 -V</c> printed first (e.g. 3.0.4).</summary>
    public string? KeaVersion { get; init; }

    /// <summary>The inventory's <c>kea.version</c> (e.g. 3.0).</summary>
    public string WantedVersion { get; init; } = string.Empty;

    /// <summary>Seconds since kea-dhcp4 started, and since it last loaded a config (status-get).</summary>
    public long? UptimeSeconds { get; init; }

    public long? SecondsSinceReload { get; init; }

    /// <summary>Why the control channel gave nothing (agent down, refused, timed out); null when it answered.</summary>
    public string? ControlProblem { get; init; }

    public HaStatus? Ha { get; init; }

    public ConfigDrift? Drift { get; init; }

    /// <summary>Per subnet (<see cref="PoolUse.Pool"/> null) and per pool as Kea counts them.</summary>
    public IReadOnlyList<PoolUse> Pools { get; init; } = [];

    public LoadCounters? Load { get; init; }
}

/// <summary>One server's HA view from status-get: its own state and scopes, and what it last saw of its partner.</summary>
public sealed record HaStatus(
    string Mode,
    string State,
    IReadOnlyList<string> Scopes,
    string? Partner,
    string? PartnerState,
    bool? InTouch,
    bool? CommunicationInterrupted,
    long? UnackedClients,
    long? ConnectingClients);

/// <summary>
/// How the running config stands against the live file, and the file against what the inventory renders now.
/// </summary>
public sealed record ConfigDrift
{
    /// <summary>Rendered now vs the live file: Unchanged, Changed, Missing or Unreadable (null: not read).</summary>
    public string? FileVsInventory { get; init; }

    /// <summary>Where the file differs from the render (JSON paths).</summary>
    public IReadOnlyList<string> FileChanges { get; init; } = [];

    /// <summary>The commit the live file was rendered from (its provenance), when it says.</summary>
    public string? DeployedCommit { get; init; }

    /// <summary>The file's settings no longer match the digest keagitops wrote into it: a hand edit.</summary>
    public bool EditedByHand { get; init; }

    /// <summary>Whether the running config (config-get) matches the file; null when either could not be read.</summary>
    public bool? RunningMatchesFile { get; init; }

    /// <summary>Where the running config differs from the file (JSON paths with the values).</summary>
    public IReadOnlyList<string> RunningChanges { get; init; } = [];

    /// <summary>Kea's config-hash-get of the running config (as config-get reports it).</summary>
    public string? RunningHash { get; init; }

    public string? Problem { get; init; }

    public bool Drifted => FileVsInventory is not null and not "Unchanged" || EditedByHand || RunningMatchesFile == false;
}

/// <summary>Addresses of one subnet (Pool null) or one pool as Kea's statistics count them.</summary>
public sealed record PoolUse(long SubnetId, string? Subnet, long? Pool, string? Range, long Total, long Assigned, long Declined)
{
    public double PercentUsed => Total <= 0 ? 0 : Math.Round(100.0 * (Assigned + Declined) / Total, 1);
}

/// <summary>
/// Packets and leases one server handled. Kea's counters are cumulative since the daemon started; under
/// --watch the status command turns two readings into the interval's (<see cref="Minus"/>).
/// </summary>
public sealed record LoadCounters(long AcksSent, long OffersSent, long PacketsReceived, long LeasesAssigned)
{
    /// <summary>The counts between <paramref name="earlier"/> and this reading; a counter that went down (a restart) counts from zero.</summary>
    public LoadCounters Minus(LoadCounters earlier) => new(
        Delta(AcksSent, earlier.AcksSent), Delta(OffersSent, earlier.OffersSent), Delta(PacketsReceived, earlier.PacketsReceived), Delta(LeasesAssigned, earlier.LeasesAssigned));

    private static long Delta(long now, long before) => now >= before ? now - before : now;
}
