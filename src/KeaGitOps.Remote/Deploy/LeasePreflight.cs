using System.Globalization;
using System.Text.Json;
using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Remote.Kea;

namespace KeaGitOps.Remote.Deploy;

/// <summary>A reservation the deploy adds or moves: its address or its client is not reserved together on the live server.</summary>
/// <param name="SubnetId">the subnet's id; 0 for a global reservation.</param>
public sealed record ReservedAddress(long SubnetId, string Address, ReservationIdentity Identity, string? Hostname)
{
    public override string ToString() => $"{Identity}{(Hostname is null ? string.Empty : $" ({Hostname})")}";
}

public enum LeaseFindingKind
{
    /// <summary>The reserved address is leased to another client: blocks the deploy.</summary>
    LeasedToOther,

    /// <summary>The reserved client holds a lease on another address: it moves at its next renewal.</summary>
    ClientHoldsOther,

    /// <summary>The address is leased, but the reservation's identifier (circuit-id, flex-id, duid) is not in a lease to compare with.</summary>
    CannotCompare,

    /// <summary>A server could not be asked (unreachable, no lease_cmds).</summary>
    NotAsked,
}

/// <summary>One finding of the lease preflight, merged over the servers that report the same lease.</summary>
public sealed record LeaseFinding(LeaseFindingKind Kind, string Message)
{
    /// <summary>Only a reservation for an address another client holds stops a deploy.</summary>
    public bool Blocks => Kind == LeaseFindingKind.LeasedToOther;
}

/// <summary>One active IPv4 lease as lease_cmds returns it, identifiers normalised as reservations are.</summary>
public sealed record ActiveLease(string Address, long SubnetId, string? HwAddress, string? ClientId, string? Hostname, DateTimeOffset Expires)
{
    /// <summary>Whether this lease is the reserved client's: by hardware address, by client-id, or by the client-id an Ethernet client sends (01 + its MAC).</summary>
    public bool IsOf(ReservationIdentity identity) => identity.Type switch
    {
        IdentifierType.HwAddress => HwAddress == identity.Value || ClientId == identity.AsEthernetClientId()!.Value.Value,
        IdentifierType.ClientId => ClientId == identity.Value || (HwAddress is not null && "01:" + HwAddress == identity.Value),
        _ => false,
    };

    public string Holder =>
        string.Join(", ", new[] { HwAddress is null ? null : $"hw-address={HwAddress}", ClientId is null ? null : $"client-id={ClientId}", Hostname is null ? null : $"hostname {Hostname}" }.OfType<string>()) is { Length: > 0 } text ? text : "a client with no identifier";

    /// <summary>A lease from lease_cmds' JSON, or null when it no longer holds its address (declined, expired, reclaimed, released).</summary>
    public static ActiveLease? From(JsonElement lease, DateTimeOffset now)
    {
        if (lease.ValueKind != JsonValueKind.Object
            || !lease.TryGetProperty("ip-address", out var ip) || ip.ValueKind != JsonValueKind.String
            || (lease.TryGetProperty("state", out var state) && state.TryGetInt32(out var s) && s != 0))
        {
            return null;
        }

        // cltt and valid-lft are what Kea keeps; the expiry is their sum, in UTC.
        var cltt = lease.TryGetProperty("cltt", out var c) && c.TryGetInt64(out var cv) ? cv : 0;
        var lifetime = lease.TryGetProperty("valid-lft", out var v) && v.TryGetInt64(out var vv) ? vv : 0;
        var expires = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(cltt + lifetime, 0, 253402300799));
        if (expires <= now)
        {
            return null;
        }

        static string? Text(JsonElement lease, string name) =>
            lease.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

        var hw = Text(lease, "hw-address") is { } h ? ReservationIdentity.Parse(IdentifierType.HwAddress, h)?.Value : null;
        var clientId = Text(lease, "client-id") is { } i ? ReservationIdentity.Parse(IdentifierType.ClientId, i)?.Value : null;
        var subnet = lease.TryGetProperty("subnet-id", out var id) && id.TryGetInt64(out var idv) ? idv : 0;
        return new ActiveLease(ip.GetString()!, subnet, hw, clientId, Text(lease, "hostname"), expires);
    }
}

/// <summary>A command to one server's DHCPv4 daemon (<see cref="KeaControlChannel.CommandAsync"/>, or a fake in tests).</summary>
public delegate Task<KeaAnswer> KeaCommand(string command, string? arguments, CancellationToken cancellation);

/// <summary>
/// Before a deploy adds or moves a reservation, asks each server (lease_cmds) whether the address is
/// leased to another client, and whether the reserved client holds another address. Kea does not refuse
/// such a reservation: it quietly gives the reserved client some other address until the holder's lease
/// ends, and takes the address from the holder at its renewal, so two devices swap addresses under the
/// operator's feet (the seed's 192.168.1.74, seen from the leases). Only the first case blocks; a client
/// that holds another address is what reserving an address for a running device always looks like.
/// </summary>
public static class LeasePreflight
{
    /// <summary>Up to this many addresses and identifiers a server is asked one by one; above it, its leases are read in pages once and looked up here.</summary>
    public const int OneByOneLimit = 64;

    /// <summary>Leases per lease4-get-page answer: 100,000 leases in ten answers of a few MB each.</summary>
    public const int PageSize = 10_000;

    /// <summary>
    /// The reservations of the rendered kea-dhcp4.conf whose address and client are not reserved together
    /// (in the same subnet) in the live one: every reservation when there is no readable live config.
    /// </summary>
    public static IReadOnlyList<ReservedAddress> NewOrMoved(IEnumerable<ConfigComparison> comparisons)
    {
        var dhcp4 = comparisons.FirstOrDefault(c => c.Rendered.Name == TemplateSet.Dhcp4);
        if (dhcp4 is null || dhcp4.Status == LiveStatus.Unchanged
            || (dhcp4.Status == LiveStatus.Changed && !dhcp4.Changes.Any(c => c.Path.Contains("reservations", StringComparison.Ordinal))))
        {
            return [];
        }

        var live = dhcp4.Live is { } config ? Reservations(config.Root).Select(r => (r.SubnetId, r.Identity, r.Address)).ToHashSet() : [];
        using var wanted = KeaConfig.FromRendered(dhcp4.Rendered.Utf8, dhcp4.Rendered.Name);
        return Reservations(wanted.Root).Where(r => !live.Contains((r.SubnetId, r.Identity, r.Address))).ToList();
    }

    /// <summary>
    /// Deploy's preflight, once every target is locked and read and before any is changed: the reservations
    /// the targets' plans add or move (<paramref name="reserved"/>, <see cref="NewOrMoved"/>), checked against
    /// every server's leases. The refusal of every target when a reserved address is leased to another client
    /// (unless --allow-leased or --dry-run), else null; every finding is shown as progress either way.
    /// </summary>
    public static async Task<IReadOnlyList<ServerReport>?> GateAsync(IReadOnlyList<ReservedAddress> reserved, IReadOnlyList<DeployTarget> targets, IReadOnlyList<DeployTarget> servers, Func<DeployTarget, Task<IRemoteHost>> host, DeployOptions options, IDeployProgress progress, CancellationToken cancellation)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (reserved.Count == 0)
        {
            return null;
        }

        var asked = targets.Concat(servers).DistinctBy(s => s.Name).ToList();
        foreach (var server in asked)
        {
            progress.Step(server.Name, "lease preflight", $"leases of {reserved.Distinct().Count()} reservation(s) added or moved");
        }

        var findings = await AskServersAsync(reserved, asked, host, cancellation).ConfigureAwait(false);
        var refuse = findings.Any(f => f.Blocks) && !options.AllowLeased && !options.DryRun;
        foreach (var finding in findings)
        {
            progress.Step("lease preflight", finding.Blocks ? (refuse ? "refused" : options.AllowLeased ? "allowed by --allow-leased" : "would refuse") : "warning", finding.Message);
        }

        if (!refuse)
        {
            return null;
        }

        var message = $"refused before any change by the lease preflight: {string.Join("; ", findings.Where(f => f.Blocks).Select(f => f.Message))}";
        return DeployTarget.InSafeOrder(targets).Select(t => new ServerReport(t.Name, ServerOutcome.Refused, "lease preflight", message, clock.Elapsed, [])).ToList();
    }

    /// <summary>Asks each of <paramref name="servers"/> about <paramref name="reserved"/> through its Control Agent; a server that cannot be reached is a finding.</summary>
    public static async Task<IReadOnlyList<LeaseFinding>> AskServersAsync(IReadOnlyCollection<ReservedAddress> reserved, IReadOnlyList<DeployTarget> servers, Func<DeployTarget, Task<IRemoteHost>> host, CancellationToken cancellation)
    {
        var distinct = reserved.Distinct().ToList();
        var now = DateTimeOffset.UtcNow;
        var findings = new List<ServerLeaseFinding>();
        foreach (var server in servers)
        {
            KeaControlChannel? channel = null;
            string? unreachable = null;
            try
            {
                // Where the agent listens now (its live config), not where the new inventory will put it.
                var reached = await host(server).ConfigureAwait(false);
                channel = await KeaControlChannel.OpenAsync(reached, await server.ReadLiveControlAgentAsync(reached, cancellation).ConfigureAwait(false), cancellation).ConfigureAwait(false);
            }
            catch (RemoteStepException e)
            {
                unreachable = e.Message;
            }

            using (channel)
            {
                findings.AddRange(await AskAsync(server.Name, channel is null ? null : channel.CommandAsync, unreachable, distinct, now, cancellation).ConfigureAwait(false));
            }
        }

        return Merge(findings);
    }

    /// <summary>
    /// Asks one server about <paramref name="reserved"/> (null <paramref name="channel"/>: it could not be
    /// reached, for <paramref name="unreachable"/>). Findings name the server; merge several with <see cref="Merge"/>.
    /// </summary>
    public static async Task<IReadOnlyList<ServerLeaseFinding>> AskAsync(string server, KeaCommand? channel, string? unreachable, IReadOnlyCollection<ReservedAddress> reserved, DateTimeOffset now, CancellationToken cancellation)
    {
        if (reserved.Count == 0)
        {
            return [];
        }

        if (channel is null)
        {
            return [ServerLeaseFinding.NotAsked(server, unreachable ?? "its control channel cannot be opened")];
        }

        var (leases, problem) = await LeasesAsync(channel, reserved, now, cancellation).ConfigureAwait(false);
        if (leases is null)
        {
            return [ServerLeaseFinding.NotAsked(server, problem!)];
        }

        var findings = new List<ServerLeaseFinding>();
        foreach (var reservation in reserved)
        {
            if (leases.ByAddress.TryGetValue(reservation.Address, out var lease) && !lease.IsOf(reservation.Identity))
            {
                var comparable = reservation.Identity.Type is IdentifierType.HwAddress or IdentifierType.ClientId;
                findings.Add(new ServerLeaseFinding(comparable ? LeaseFindingKind.LeasedToOther : LeaseFindingKind.CannotCompare, server, reservation, lease));
            }

            foreach (var other in leases.Of(reservation.Identity).Where(l => l.Address != reservation.Address && (reservation.SubnetId == 0 || l.SubnetId == reservation.SubnetId)))
            {
                findings.Add(new ServerLeaseFinding(LeaseFindingKind.ClientHoldsOther, server, reservation, other));
            }
        }

        return findings;
    }

    /// <summary>The findings of every server as one list: a lease that several servers report (HA shares leases) is one finding naming them all, with its latest expiry.</summary>
    public static IReadOnlyList<LeaseFinding> Merge(IEnumerable<ServerLeaseFinding> findings) =>
        findings
            .GroupBy(f => (f.Kind, f.Reservation?.Address, f.Reservation?.Identity, f.Lease?.Address, Holder: f.Lease?.Holder, f.Problem))
            .Select(g => Describe(g.Key.Kind, g.Select(f => f.Server).Distinct().ToList(), g.First().Reservation, g.Select(f => f.Lease).OfType<ActiveLease>().MaxBy(l => l.Expires), g.Key.Problem))
            .OrderBy(f => f.Blocks ? 0 : 1)
            .ToList();

    private static LeaseFinding Describe(LeaseFindingKind kind, List<string> servers, ReservedAddress? reservation, ActiveLease? lease, string? problem)
    {
        var on = string.Join(" and ", servers);
        var until = lease is null ? string.Empty : lease.Expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        var subnet = reservation is null or { SubnetId: 0 } ? "globally" : $"in subnet {reservation.SubnetId}";
        return kind switch
        {
            LeaseFindingKind.LeasedToOther => new(kind,
                $"{reservation!.Address} is reserved for {reservation} {subnet}, but {on} lease{(servers.Count == 1 ? "s" : string.Empty)} it to {lease!.Holder} until {until}: until then Kea gives the reserved client another address, and {lease.Holder.Split(',')[0]} loses {reservation.Address} at its next renewal. Reserve a free address, or pick the device that should have it; if the holder may lose it, pass --allow-leased"),
            LeaseFindingKind.ClientHoldsOther => new(kind,
                $"{reservation} holds {lease!.Address} on {on} (until {until}) and is now reserved {reservation!.Address} {subnet}: it moves to {reservation.Address} at its next renewal, and whatever reaches it at {lease.Address} loses it then"),
            LeaseFindingKind.CannotCompare => new(kind,
                $"{reservation!.Address} is reserved for {reservation} {subnet} and {on} lease{(servers.Count == 1 ? "s" : string.Empty)} it to {lease!.Holder} until {until}; a lease does not record a {reservation.Identity.KeaName}, so whether that is the reserved client cannot be told: check before deploying"),
            _ => new(kind, $"the lease preflight could not ask {on}: {problem}; the reservations added or moved are not checked against {(servers.Count == 1 ? "its" : "their")} leases"),
        };
    }

    /// <summary>The server's active leases for these reservations (the addresses and clients asked one by one, or every lease read in pages), or null and why not.</summary>
    private static async Task<(LeaseIndex? Leases, string? Problem)> LeasesAsync(KeaCommand channel, IReadOnlyCollection<ReservedAddress> reserved, DateTimeOffset now, CancellationToken cancellation)
    {
        var addresses = reserved.Select(r => r.Address).Distinct(StringComparer.Ordinal).ToList();
        var clients = reserved.Select(r => r.Identity).Where(i => i.Type is IdentifierType.HwAddress or IdentifierType.ClientId).Distinct().ToList();
        var index = new LeaseIndex();
        if (addresses.Count + clients.Count > OneByOneLimit)
        {
            return await AllLeasesAsync(channel, index, now, cancellation).ConfigureAwait(false);
        }

        foreach (var address in addresses)
        {
            var answer = await channel("lease4-get", $"{{ \"ip-address\": {JsonSerializer.Serialize(address)} }}", cancellation).ConfigureAwait(false);
            if (Unusable(answer, "lease4-get") is { } problem)
            {
                return (null, problem);
            }

            index.Add(answer.Result == KeaAnswer.Success && answer.Arguments is { } lease ? ActiveLease.From(lease, now) : null);
        }

        foreach (var client in clients)
        {
            var (command, member) = client.Type == IdentifierType.HwAddress ? ("lease4-get-by-hw-address", "hw-address") : ("lease4-get-by-client-id", "client-id");
            var answer = await channel(command, $"{{ {JsonSerializer.Serialize(member)}: {JsonSerializer.Serialize(client.Value)} }}", cancellation).ConfigureAwait(false);
            if (Unusable(answer, command) is { } problem)
            {
                return (null, problem);
            }

            index.AddAll(answer, now);
        }

        return (index, null);
    }

    /// <summary>Every lease of the server, in pages (lease4-get-page: each page starts after the last address of the one before).</summary>
    private static async Task<(LeaseIndex? Leases, string? Problem)> AllLeasesAsync(KeaCommand channel, LeaseIndex index, DateTimeOffset now, CancellationToken cancellation)
    {
        var from = "start";
        while (true)
        {
            var answer = await channel("lease4-get-page", $"{{ \"from\": {JsonSerializer.Serialize(from)}, \"limit\": {PageSize.ToString(CultureInfo.InvariantCulture)} }}", cancellation).ConfigureAwait(false);
            if (Unusable(answer, "lease4-get-page") is { } problem)
            {
                return (null, problem);
            }

            var last = index.AddAll(answer, now);
            if (answer.Result == KeaAnswer.Empty || last.Count < PageSize || last.Last is not { } next || next == from)
            {
                return (index, null);
            }

            from = next;
        }
    }

    private static string? Unusable(KeaAnswer answer, string command) => answer.Result switch
    {
        KeaAnswer.Success or KeaAnswer.Empty => null,
        KeaAnswer.Unsupported => $"it does not know {command} (libdhcp_lease_cmds.so is not loaded)",
        KeaAnswer.NoAnswer => answer.Text,
        _ => $"{command} failed: {answer.Text}",
    };

    /// <summary>Every reservation with an address, in Dhcp4.reservations (subnet 0), Dhcp4.subnet4 and the shared networks' subnet4.</summary>
    private static IEnumerable<ReservedAddress> Reservations(JsonElement root)
    {
        if (!root.TryGetProperty("Dhcp4", out var dhcp4) || dhcp4.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var reservation in InList(dhcp4, "reservations", 0))
        {
            yield return reservation;
        }

        foreach (var subnet in JsonValues.Subnets(dhcp4))
        {
            if (subnet.TryGetProperty("id", out var id) && id.TryGetInt64(out var subnetId))
            {
                foreach (var reservation in InList(subnet, "reservations", subnetId))
                {
                    yield return reservation;
                }
            }
        }
    }

    private static IEnumerable<ReservedAddress> InList(JsonElement parent, string member, long subnetId)
    {
        foreach (var reservation in Array(parent, member))
        {
            if (reservation.TryGetProperty("ip-address", out var ip) && ip.ValueKind == JsonValueKind.String && ReservationIdentity.Of(reservation) is { } identity)
            {
                var hostname = reservation.TryGetProperty("hostname", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
                yield return new ReservedAddress(subnetId, ip.GetString()!, identity, hostname);
            }
        }
    }

    private static IEnumerable<JsonElement> Array(JsonElement parent, string member) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(member, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
            : [];

    /// <summary>A server's active leases by address, hardware address and client-id.</summary>
    private sealed class LeaseIndex
    {
        public Dictionary<string, ActiveLease> ByAddress { get; } = new(StringComparer.Ordinal);

        private Dictionary<string, List<ActiveLease>> ByHw { get; } = new(StringComparer.Ordinal);

        private Dictionary<string, List<ActiveLease>> ByClientId { get; } = new(StringComparer.Ordinal);

        public void Add(ActiveLease? lease)
        {
            if (lease is null || !ByAddress.TryAdd(lease.Address, lease))
            {
                return;
            }

            if (lease.HwAddress is { } hw)
            {
                Bucket(ByHw, hw).Add(lease);
            }

            if (lease.ClientId is { } clientId)
            {
                Bucket(ByClientId, clientId).Add(lease);
            }
        }

        /// <summary>Adds the answer's leases (arguments.leases); how many it held and the last one's address (where the next page starts).</summary>
        public (int Count, string? Last) AddAll(KeaAnswer answer, DateTimeOffset now)
        {
            if (answer.Arguments is not { ValueKind: JsonValueKind.Object } arguments || !arguments.TryGetProperty("leases", out var leases) || leases.ValueKind != JsonValueKind.Array)
            {
                return (0, null);
            }

            string? last = null;
            foreach (var lease in leases.EnumerateArray())
            {
                last = lease.TryGetProperty("ip-address", out var ip) && ip.ValueKind == JsonValueKind.String ? ip.GetString() : last;
                Add(ActiveLease.From(lease, now));
            }

            return (leases.GetArrayLength(), last);
        }

        /// <summary>The leases the client holds, by either of its identifiers.</summary>
        public IEnumerable<ActiveLease> Of(ReservationIdentity identity)
        {
            IEnumerable<ActiveLease> Find(Dictionary<string, List<ActiveLease>> index, string key) => index.TryGetValue(key, out var found) ? found : [];
            var leases = identity.Type switch
            {
                IdentifierType.HwAddress => Find(ByHw, identity.Value).Concat(Find(ByClientId, identity.AsEthernetClientId()!.Value.Value)),
                IdentifierType.ClientId => Find(ByClientId, identity.Value).Concat(identity.Value.StartsWith("01:", StringComparison.Ordinal) ? Find(ByHw, identity.Value[3..]) : []),
                _ => [],
            };
            return leases.Distinct();
        }

        private static List<ActiveLease> Bucket(Dictionary<string, List<ActiveLease>> index, string key)
        {
            if (!index.TryGetValue(key, out var list))
            {
                list = [];
                index.Add(key, list);
            }

            return list;
        }
    }
}

/// <summary>What one server said about one reservation (or that it could not be asked).</summary>
public sealed record ServerLeaseFinding(LeaseFindingKind Kind, string Server, ReservedAddress? Reservation, ActiveLease? Lease, string? Problem = null)
{
    public static ServerLeaseFinding NotAsked(string server, string problem) => new(LeaseFindingKind.NotAsked, server, null, null, problem);
}
