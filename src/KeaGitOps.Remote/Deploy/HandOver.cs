using System.Text.Json;
using KeaGitOps.Remote.Kea;

namespace KeaGitOps.Remote.Deploy;

/// <summary>
/// The partner takes over every client of a server before that server restarts (or reloads its config,
/// which restarts Kea's HA service just the same: see <see cref="Reconfiguration"/>), and gives them back
/// only once the restarted server answers them.
///
/// The partner stays in its normal state and is told to serve every scope (ha-scopes) for the whole
/// restart. ISC's maintenance procedure (ha-maintenance-start) loses more, measured with perfdhcp in the
/// lab and read in Kea 3.0.4's ha_service.cc:
/// <list type="bullet">
/// <item>in partner-in-maintenance the partner still sends lease updates; the first REQUEST it answers
/// while the restarting server is down fails its update, so its ACK is dropped (asyncSendLeaseUpdate's
/// handler: parking_lot->drop) and the partner goes partner-down;</item>
/// <item>a partner in partner-down that gets ha-sync-complete-notify from the restarted server keeps its own
/// DHCP service disabled until its next heartbeat (processSyncCompleteNotify), so nobody answers any client
/// for up to one heartbeat-delay (0.5–0.9 s of the lab's 1 s; up to 10 s at the example's 10 s).</item>
/// </list>
/// A partner left in load-balancing does not go partner-down while the restart is shorter than
/// max-response-delay, its DHCP service is disabled only during the lease sync itself (dhcp-disable, then
/// re-enabled at once by ha-sync-complete-notify: milliseconds), and the restarted server goes
/// waiting → syncing → ready → load-balancing as after any restart, with every lease synced first. What
/// remains (measured: 1–3 packets of 120–330 per two-server deploy) is Kea's lease safety: the first REQUEST
/// the partner answers after the server stops, before its heartbeat has noticed, fails its lease update and
/// its ACK is dropped (from then on the partner is in communication-recovery and queues its updates); and a
/// packet that arrives during the few milliseconds of the lease sync, while the partner is disabled.
/// </summary>
public sealed class HandOver : IDisposable
{
    private static readonly TimeSpan FastPoll = TimeSpan.FromMilliseconds(10);

    private readonly KeaControlChannel _partner;
    private readonly IReadOnlyList<string> _ownScopes;
    private readonly IReadOnlyList<string> _allScopes;
    private readonly CancellationTokenSource _stopKeeping = new();
    private Task _keeper = Task.CompletedTask;
    private volatile string? _partnerState;
    private volatile bool _bridged;
    private bool _restored;

    private HandOver(KeaControlChannel partner, string partnerName, string? partnerState, IReadOnlyList<string> ownScopes, IReadOnlyList<string> allScopes)
    {
        _partner = partner;
        PartnerName = partnerName;
        _partnerState = partnerState;
        _ownScopes = ownScopes;
        _allScopes = allScopes;
    }

    public string PartnerName { get; }

    /// <summary>The partner's state at the last look.</summary>
    public string? PartnerState => _partnerState;

    /// <summary>
    /// Moves every client of <paramref name="restartingName"/> to <paramref name="partner"/> (ha-scopes: it
    /// serves every scope of the pair, in its normal state) and keeps it so until the hand-back. Null with the
    /// reason when the partner is not in a normal state or refuses.
    /// </summary>
    public static async Task<(HandOver? HandOver, string? Reason)> StartAsync(KeaControlChannel partner, string partnerName, string restartingName, CancellationToken cancellation)
    {
        var (state, scopes, problem) = await HeartbeatAsync(partner, cancellation).ConfigureAwait(false);
        if (state == "partner-down" && await ScopesOfAsync(partner, partnerName, restartingName).ConfigureAwait(false) is { } normal)
        {
            // Repairing a server that is down: its partner already serves every client; it only has to keep
            // doing so until the repaired server serves its own again.
            return (new HandOver(partner, partnerName, state, normal.Own, scopes).Keeping(), null);
        }

        if (state is not ("load-balancing" or "hot-standby"))
        {
            return (null, problem ?? $"partner {partnerName} is {state}");
        }

        if (await ScopesOfAsync(partner, partnerName, restartingName).ConfigureAwait(false) is not { } pair)
        {
            return (null, $"the HA mode and role of {partnerName} cannot be read (status-get)");
        }

        var handOver = new HandOver(partner, partnerName, state, pair.Own, pair.All);
        if (!SameScopes(scopes, pair.All))
        {
            var answer = await handOver.ScopesAsync(pair.All).ConfigureAwait(false);
            if (answer.Result != KeaAnswer.Success)
            {
                return (null, $"ha-scopes on {partnerName} failed: {answer.Text}");
            }

            handOver._bridged = true;
        }

        return (handOver.Keeping(), null);
    }

    /// <summary>How often the restarted server is looked at while a hand-over runs (its partner is watched all along).</summary>
    public static TimeSpan PollInterval => FastPoll;

    /// <summary>
    /// One look at the restarted server's state <paramref name="ownState"/>: once it is back in the normal
    /// state and so is its partner, the partner serves its own scopes again. True when the hand-back is done.
    /// </summary>
    public async Task<bool> StepAsync(string? ownState)
    {
        if (ownState is not ("load-balancing" or "hot-standby"))
        {
            return false;
        }

        var (state, served, _) = await HeartbeatAsync(_partner, CancellationToken.None).ConfigureAwait(false);
        _partnerState = state;
        if (state is not ("load-balancing" or "hot-standby"))
        {
            // Typically communication-recovery: it returns to load-balancing on its next heartbeat, after
            // sending the lease updates it queued; it keeps serving every scope until then.
            return false;
        }

        // The restarted server serves its own scope now: the partner may drop it without a gap.
        await StopKeepingAsync().ConfigureAwait(false);
        if (_bridged && !_restored && !SameScopes(served, _ownScopes))
        {
            await ScopesAsync(_ownScopes).ConfigureAwait(false);
        }

        _restored = true;
        return true;
    }

    /// <summary>After a failure: a partner still serving the other's scope in its normal state goes back to its own; one serving alone stays so.</summary>
    public async Task AbortAsync()
    {
        await StopKeepingAsync().ConfigureAwait(false);
        var (state, served, _) = await HeartbeatAsync(_partner, CancellationToken.None).ConfigureAwait(false);
        if (_bridged && !_restored && state is "load-balancing" or "hot-standby" && !SameScopes(served, _ownScopes))
        {
            await ScopesAsync(_ownScopes).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stopKeeping.Cancel();
        try
        {
            _keeper.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting between two looks: nothing was half sent.
        }

        _stopKeeping.Dispose();
    }

    private HandOver Keeping()
    {
        _keeper = Task.Run(() => KeepAsync(_stopKeeping.Token));
        return this;
    }

    /// <summary>
    /// Watches the partner every <see cref="FastPoll"/> from the hand-over to the hand-back, also while the
    /// restart command itself runs (the partner changes state the moment the server stops, not when the
    /// command returns): every entry into load-balancing, hot-standby or communication-recovery serves the
    /// default scopes only (normalStateHandler, communicationRecoveryHandler), so each is bridged again at once.
    /// The usual one: in load-balancing (delayed-updates-limit, 100 by default) the partner's first failed
    /// heartbeat or lease update to the stopped server moves it to communication-recovery, where it queues its
    /// lease updates instead of dropping the client's answer, and sends them once the restarted server is back
    /// (which syncs every lease from it anyway). Served all scopes there, it answers every client while the
    /// server is away; the restarted server goes ready → load-balancing as soon as it sees it
    /// (readyStateHandler), and the partner returns to load-balancing after it.
    /// </summary>
    private async Task KeepAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var (state, served, _) = await HeartbeatAsync(_partner, stop).ConfigureAwait(false);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            _partnerState = state;
            if (state is "load-balancing" or "hot-standby" or "communication-recovery" && !SameScopes(served, _allScopes))
            {
                await ScopesAsync(_allScopes).ConfigureAwait(false);
                _bridged = true;
            }

            await Task.Delay(FastPoll, stop).ConfigureAwait(false);
        }
    }

    private async Task StopKeepingAsync()
    {
        await _stopKeeping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _keeper.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting between two looks: nothing was half sent.
        }
    }

    /// <summary>
    /// The scopes the partner serves in its normal state and those of the pair (status-get: the HA mode and
    /// its role; a scope is named after the server whose clients it holds), or null when it cannot tell.
    /// </summary>
    private static async Task<(IReadOnlyList<string> Own, IReadOnlyList<string> All)?> ScopesOfAsync(KeaControlChannel partner, string partnerName, string restartingName)
    {
        var status = await partner.CommandAsync("status-get", null, CancellationToken.None).ConfigureAwait(false);
        if (status.Result != KeaAnswer.Success || status.Arguments is not { ValueKind: JsonValueKind.Object } arguments
            || !arguments.TryGetProperty("high-availability", out var ha) || ha.ValueKind != JsonValueKind.Array || ha.GetArrayLength() == 0)
        {
            return null;
        }

        var relationship = ha[0];
        var mode = relationship.TryGetProperty("ha-mode", out var m) ? m.GetString() : null;
        var role = relationship.TryGetProperty("ha-servers", out var servers) && servers.TryGetProperty("local", out var local) && local.TryGetProperty("role", out var r) ? r.GetString() : null;
        return (mode, role) switch
        {
            ("load-balancing", _) => ([partnerName], [partnerName, restartingName]),
            ("hot-standby", "primary") => ([partnerName], [partnerName]),
            ("hot-standby", _) => ([], [restartingName]),
            _ => null,
        };
    }

    private Task<KeaAnswer> ScopesAsync(IReadOnlyList<string> scopes) =>
        _partner.CommandAsync("ha-scopes", $"{{ \"scopes\": {JsonSerializer.Serialize(scopes)} }}", CancellationToken.None);

    private static bool SameScopes(IReadOnlyList<string> a, IReadOnlyList<string> b) => a.Order(StringComparer.Ordinal).SequenceEqual(b.Order(StringComparer.Ordinal), StringComparer.Ordinal);

    private static async Task<(string? State, IReadOnlyList<string> Scopes, string? Problem)> HeartbeatAsync(KeaControlChannel channel, CancellationToken cancellation)
    {
        var answer = await channel.CommandAsync("ha-heartbeat", null, cancellation).ConfigureAwait(false);
        if (answer.Result != KeaAnswer.Success || answer.Arguments is not { ValueKind: JsonValueKind.Object } arguments)
        {
            return (null, [], answer.Text);
        }

        var state = arguments.TryGetProperty("state", out var s) ? s.GetString() : null;
        IReadOnlyList<string> scopes = arguments.TryGetProperty("scopes", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(e => e.GetString() ?? string.Empty)]
            : [];
        return (state, scopes, null);
    }
}
