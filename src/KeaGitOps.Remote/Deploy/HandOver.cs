using System.Text.Json;
using KeaGitOps.Remote.Kea;

namespace KeaGitOps.Remote.Deploy;

/// <summary>
/// The partner takes over every client of a server before that server restarts, and gives them back
/// only once the restarted server answers them. Kea's maintenance commands alone leave a gap: the
/// partner goes from partner-down to load-balancing (serving only its own scope again) when it sees
/// the restarted server ready, and that server starts serving its scope one heartbeat later, when it
/// sees the partner load-balancing. So the partner is told, at once, to keep serving both scopes
/// (ha-scopes) until the restarted server is back in the normal state, and then its own again.
/// </summary>
public sealed class HandOver
{
    private static readonly TimeSpan TakeOverTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FastPoll = TimeSpan.FromMilliseconds(40);

    private readonly KeaControlChannel _partner;
    private readonly IReadOnlyList<string> _ownScopes;
    private readonly IReadOnlyList<string> _allScopes;
    private bool _bridged;
    private bool _restored;

    private HandOver(KeaControlChannel partner, string partnerName, IReadOnlyList<string> ownScopes, IReadOnlyList<string> allScopes)
    {
        _partner = partner;
        PartnerName = partnerName;
        _ownScopes = ownScopes;
        _allScopes = allScopes;
    }

    public string PartnerName { get; }

    /// <summary>The partner's state at the last look.</summary>
    public string? PartnerState { get; private set; }

    /// <summary>
    /// Moves every client to <paramref name="partner"/> (ha-maintenance-start: it serves all scopes, this
    /// server none). Null with the reason when the partner is not in a normal state or refuses.
    /// </summary>
    public static async Task<(HandOver? HandOver, string? Reason)> StartAsync(KeaControlChannel partner, string partnerName, CancellationToken cancellation)
    {
        var (state, scopes, problem) = await HeartbeatAsync(partner, cancellation).ConfigureAwait(false);
        if (state == "partner-down" && await NormalScopesAsync(partner, partnerName).ConfigureAwait(false) is { } normal)
        {
            // Repairing a server that is down: its partner already serves every client; it only has to keep
            // doing so until the repaired server serves its own again.
            return (new HandOver(partner, partnerName, normal, scopes) { PartnerState = state }, null);
        }

        if (state is not ("load-balancing" or "hot-standby"))
        {
            return (null, problem ?? $"partner {partnerName} is {state}");
        }

        var started = await partner.CommandAsync("ha-maintenance-start", null, CancellationToken.None).ConfigureAwait(false);
        if (started.Result != KeaAnswer.Success)
        {
            return (null, $"ha-maintenance-start on {partnerName} failed: {started.Text}");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TakeOverTimeout)
        {
            var (now, all, _) = await HeartbeatAsync(partner, CancellationToken.None).ConfigureAwait(false);
            if (now is "partner-in-maintenance" or "partner-down")
            {
                return (new HandOver(partner, partnerName, scopes, all) { PartnerState = now }, null);
            }

            await Task.Delay(FastPoll, CancellationToken.None).ConfigureAwait(false);
        }

        await partner.CommandAsync("ha-maintenance-cancel", null, CancellationToken.None).ConfigureAwait(false);
        return (null, $"{partnerName} did not take over within {TakeOverTimeout.TotalSeconds:0} s");
    }

    /// <summary>How often the restarted server and its partner are looked at while a hand-over runs.</summary>
    public static TimeSpan PollInterval => FastPoll;

    /// <summary>
    /// One look at the partner while the restarted server comes back (its state <paramref name="ownState"/>):
    /// keeps the partner serving every scope once it is back in the normal state, cancels a maintenance that
    /// the restart left standing, and gives the clients back once both are normal. True when the hand-back is done.
    /// </summary>
    public async Task<bool> StepAsync(string? ownState)
    {
        var (state, _, _) = await HeartbeatAsync(_partner, CancellationToken.None).ConfigureAwait(false);
        PartnerState = state;
        var partnerNormal = state is "load-balancing" or "hot-standby";
        if (partnerNormal && !_bridged && !SameScopes(_allScopes, _ownScopes))
        {
            await ScopesAsync(_allScopes).ConfigureAwait(false);
            _bridged = true;
        }

        if (state == "partner-in-maintenance" && ownState == "in-maintenance")
        {
            // The server came back before its partner noticed it was gone, and both still keep the maintenance.
            await _partner.CommandAsync("ha-maintenance-cancel", null, CancellationToken.None).ConfigureAwait(false);
        }

        if (partnerNormal && ownState is "load-balancing" or "hot-standby")
        {
            if (_bridged && !_restored)
            {
                await ScopesAsync(_ownScopes).ConfigureAwait(false);
                _restored = true;
            }

            return true;
        }

        return false;
    }

    /// <summary>After a failure: a partner still in maintenance goes back to its normal state; one serving alone stays so.</summary>
    public async Task AbortAsync()
    {
        var (state, _, _) = await HeartbeatAsync(_partner, CancellationToken.None).ConfigureAwait(false);
        if (state == "partner-in-maintenance")
        {
            await _partner.CommandAsync("ha-maintenance-cancel", null, CancellationToken.None).ConfigureAwait(false);
        }
        else if (_bridged && !_restored && state is "load-balancing" or "hot-standby")
        {
            await ScopesAsync(_ownScopes).ConfigureAwait(false);
        }
    }

    /// <summary>The scopes the partner serves in its normal state (status-get: the HA mode and its role), or null when it cannot tell.</summary>
    private static async Task<IReadOnlyList<string>?> NormalScopesAsync(KeaControlChannel partner, string partnerName)
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
            ("load-balancing", _) or ("hot-standby", "primary") => [partnerName],
            ("hot-standby", _) => [],
            _ => null,
        };
    }

    private async Task ScopesAsync(IReadOnlyList<string> scopes) =>
        await _partner.CommandAsync("ha-scopes", $"{{ \"scopes\": {JsonSerializer.Serialize(scopes)} }}", CancellationToken.None).ConfigureAwait(false);

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
