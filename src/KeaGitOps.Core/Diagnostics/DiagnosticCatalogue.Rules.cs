using KeaGitOps.Core.Addressing;

namespace KeaGitOps.Core.Diagnostics;

public static partial class DiagnosticCatalogue
{
    // ---- Addressing and reservations ------------------------------------------------------------
    public static Diagnostic AddressReservedTwice(SourceLocation at, Ipv4Address address, string who, string firstWho, SourceLocation first) =>
        Create(DuplicateReservedAddress, at, $"{address} is reserved for {who} here and for {firstWho} at {first}; one address can go to one device only. Give one of them another address.", first);

    public static Diagnostic IdentifierTwice(SourceLocation at, string identifier, string firstWho, SourceLocation first) =>
        Create(DuplicateIdentifier, at, $"{identifier} already has a reservation in this subnet ({firstWho} at {first}); Kea refuses two. Merge them into one.", first);

    public static Diagnostic ReservationNotInSubnet(SourceLocation at, Ipv4Address address, string prefix) =>
        Create(ReservationOutsideSubnet, at, $"{address} is not inside subnet {prefix}; move the reservation to the subnet that holds the address.");

    public static Diagnostic ReservationsInsidePool(SourceLocation at, IReadOnlyList<string> pools, int count, string first) =>
        Create(ReservationsInPool, at, $"{count} reservation(s) lie inside dynamic pool{(pools.Count == 1 ? string.Empty : "s")} {string.Join(", ", pools.Select(p => $"'{p}'"))} (first: {first}). Kea honours them, but an address leased to another client before its reservation existed stays with it until the lease ends; move the reservations out of the pool or shrink the pool.");

    public static Diagnostic PoolOutside(SourceLocation at, string pool, string prefix) =>
        Create(PoolOutsideSubnet, at, $"pool '{pool}' is not inside subnet {prefix}; Kea refuses it. Keep the pool within the subnet.");

    public static Diagnostic PoolsOverlap(SourceLocation at, string pool, string other, SourceLocation otherAt) =>
        Create(OverlappingPools, at, $"pool '{pool}' overlaps pool '{other}' at {otherAt}; make the ranges disjoint.", otherAt);

    public static Diagnostic SubnetsOverlap(SourceLocation at, string prefix, string other, SourceLocation otherAt) =>
        Create(OverlappingSubnets, at, $"subnet {prefix} overlaps subnet {other} at {otherAt}; subnets must not share addresses.", otherAt);

    public static Diagnostic PrefixNotCanonical(SourceLocation at, string written, Ipv4Prefix meant) =>
        Create(NonCanonicalPrefix, at, $"'{written}' has host bits set; the network is {meant}. Write '{meant}'.");

    public static Diagnostic PrefixMalformed(SourceLocation at, string written) =>
        Create(InvalidValue, at, $"subnet '{written}' is not an IPv4 prefix; write it as NETWORK/LENGTH, e.g. 192.168.1.0/24.");

    public static Diagnostic SubnetIdTwice(SourceLocation at, long id, SourceLocation first) =>
        Create(DuplicateSubnetId, at, $"subnet id {id} is already used at {first}; every subnet needs its own stable id.", first);

    public static Diagnostic SharedNetworkDispensable(SourceLocation at, string name, int subnets) =>
        Create(DispensableSharedNetwork, at, $"shared network '{name}' has {(subnets == 0 ? "no subnet" : "one subnet")}; a shared network serves several subnets on one link: {(subnets == 0 ? "add its subnets or remove it" : "move the subnet to the top-level subnets (with the network's settings) or add the other subnets of its link")}.");

    public static Diagnostic SharedNetworkTwice(SourceLocation at, string name, SourceLocation first) =>
        Create(DuplicateSharedNetwork, at, $"shared network '{name}' is already defined at {first}; give each network its own name, or move these subnets under the first.", first);

    public static Diagnostic MacMalformed(SourceLocation at, string mac, string problem) =>
        Create(MalformedMac, at, $"hw-address '{mac}' {problem}.");

    public static Diagnostic PoolScopeClass(SourceLocation at, string name) =>
        Create(PoolScopeClassByHand, at, $"pool class '{name}' is an HA scope class, which keagitops adds to each half of every pool in load-balancing; remove it and keep only your own classes.");

    public static Diagnostic PoolClassOfNoScope(SourceLocation at, string name, string scope, IReadOnlyList<string> servers) =>
        Create(PoolClassOfAbsentScope, at, $"pool class '{name}' tests the HA scope class '{scope}', which no server of this pair has (the servers are {string.Join(" and ", servers)}): no client is ever in it, so the pool is never used. Name one of the servers' scopes, or remove the restriction.");

    public static Diagnostic PoolScopeClassInside(SourceLocation at, string name) =>
        Create(PoolScopeClassByHand, at, $"pool class '{name}' tests an HA scope class (member('HA_…')); keagitops splits every pool between the servers' scopes itself, so half of this pool would never be used. Restrict the pool to the class without the scope.");

    public static Diagnostic PoolClassQuote(SourceLocation at, string name) =>
        Create(PoolClassUnquotable, at, $"pool class '{name}' holds a quote ('), which Kea's class tests cannot write, and keagitops combines this pool's classes in a test; rename the class.");

    public static Diagnostic PoolClassNotDefined(SourceLocation at, string name, string? suggestion, IReadOnlyCollection<string> defined) =>
        Create(PoolClassUndefined, at, $"pool class '{name}' is not defined{(suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)")}: no client would be in it. "
            + $"Define it under the top-level client-classes ({(defined.Count == 0 ? "none is defined yet" : "defined: " + string.Join(", ", defined))}); "
            + "a class with only a name is enough for one that reservations or a hook assign.");

    public static Diagnostic IdentifierMalformed(SourceLocation at, string keaName, string value) =>
        Create(MalformedClientId, at, $"{keaName} '{value}' is neither hex octets (01:aa:bb:cc:dd:ee:ff) nor a quoted string ('text'); Kea would refuse it.");

    public static Diagnostic HostnameTwice(SourceLocation at, string hostname, SourceLocation first) =>
        Create(DuplicateHostname, at, $"hostname '{hostname}' is already reserved at {first}; give each device its own name.", first);

    public static Diagnostic PoolMalformed(SourceLocation at, string pool) =>
        Create(MalformedPool, at, $"pool '{pool}' is not 'FIRST - LAST' (FIRST not after LAST) or a network prefix such as 192.168.1.128/25.");

    /// <param name="written">the identifiers the reservation has (Kea names), none or more than one.</param>
    public static Diagnostic IdentifierCount(SourceLocation at, IReadOnlyList<string> written) =>
        Create(ReservationIdentifier, at, written.Count > 1
            ? $"this reservation has {Names(written)}; Kea matches on one identifier. Keep one."
            : "this reservation has no identifier; add hw-address (or client-id, duid, circuit-id, flex-id) so Kea knows which client it is for.");

    private static string Names(IReadOnlyList<string> names) => names.Count == 2 ? $"both {names[0]} and {names[1]}" : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];

    public static Diagnostic HostnameInvalid(SourceLocation at, string hostname) =>
        Create(InvalidHostname, at, $"hostname '{hostname}' is not a valid DNS name; use letters, digits and inner hyphens, labels separated by dots.");

    public static Diagnostic ReservationOnNetworkOrBroadcast(SourceLocation at, Ipv4Address address, string which, string prefix) =>
        Create(ReservedNetworkOrBroadcast, at, $"{address} is the {which} address of {prefix} and cannot be given to a host; pick another address.");

    public static Diagnostic ReservationOnInfrastructure(SourceLocation at, Ipv4Address address, string what) =>
        Create(ReservedInfrastructureAddress, at, $"{address} is {what}; a device given it would clash with that host. Pick another address.");

    public static Diagnostic SubnetEmpty(SourceLocation at, string prefix) =>
        Create(EmptySubnet, at, $"subnet {prefix} has no pools and no reservations, so Kea never hands out an address in it; add a pool or remove the subnet.");

    /// <param name="how">how the client-id is made from the MAC (HardwareAddress.MacInClientId).</param>
    /// <param name="hwAddress">what the hw-address reservation gives: its address, or null when it reserves none.</param>
    /// <param name="withheld">this reservation's own address, or null when it reserves none.</param>
    public static Diagnostic DeviceTwice(SourceLocation at, string clientId, string mac, string how, string hwWho, Ipv4Address? hwAddress, Ipv4Address? withheld, SourceLocation hwAt) =>
        Create(DeviceReservedTwice, at,
            $"client-id '{clientId}' is hw-address {mac} {how}: the same device as {hwWho} ({hwAt}). "
            + $"Kea looks a client up by hw-address before client-id (the default host-reservation-identifiers order), so the device gets {(hwAddress is { } given ? given.ToString() : $"{hwWho}'s reservation")} "
            + $"and this reservation never takes effect{(withheld is { } lost ? $": {lost} is withheld from every client" : ": its hostname and options are never sent")}. "
            + "Keep one reservation for the device.",
            hwAt);

    /// <param name="addresses">each address with what it is, e.g. "192.168.1.133 (DHCP server kea-dhcp-1's own address)".</param>
    /// <param name="rest">what remains of the pool without them.</param>
    public static Diagnostic PoolLeases(SourceLocation at, string pool, IReadOnlyList<string> addresses, IReadOnlyList<Ipv4Range> rest, IReadOnlyList<SourceLocation> related) =>
        Create(PoolLeasesInfrastructure, at,
            $"pool '{pool}' would lease {string.Join(", ", addresses)} to clients: nobody reserves {Them(addresses)}, so Kea hands {Them(addresses)} out like any other pool address. {LeaveOut(rest, addresses)}",
            [.. related]);

    /// <param name="addresses">each address with what it is and the reservation that holds it.</param>
    public static Diagnostic PoolCoversReserved(SourceLocation at, string pool, IReadOnlyList<string> addresses, IReadOnlyList<Ipv4Range> rest, IReadOnlyList<SourceLocation> related) =>
        Create(PoolCoversReservedInfrastructure, at,
            $"pool '{pool}' covers {string.Join("; ", addresses)}. Kea withholds a reserved address from other clients, so this works only while the reservation stays: delete it or change its address and Kea leases the address to any client. {LeaveOut(rest, addresses)}",
            [.. related]);

    public static Diagnostic PoolExhausted(SourceLocation at, string pool, ulong size) =>
        Create(PoolExhaustedByReservations, at, $"all {size} address(es) of pool '{pool}' are reserved, so a client without a reservation gets no address from it; widen the pool or move reservations out of it.");

    /// <param name="halves">the halves of the subnet's pools that <paramref name="server"/> serves.</param>
    public static Diagnostic ScopeExhausted(SourceLocation at, string server, string prefix, IReadOnlyList<Ipv4Range> halves, ulong size) =>
        Create(PoolExhaustedByReservations, at, $"in load-balancing, {server} serves {string.Join(", ", halves.Select(h => $"'{h}'"))} of subnet {prefix}, and all {size} of those addresses are reserved: while both servers are up, {server}'s clients without a reservation get no address in this subnet. Widen the pools or move reservations out of those halves.");

    private static string Them(IReadOnlyList<string> addresses) => addresses.Count == 1 ? "it" : "them";

    private static string LeaveOut(IReadOnlyList<Ipv4Range> rest, IReadOnlyList<string> addresses) => rest.Count switch
    {
        0 => "Nothing else is left in the pool: remove it.",
        <= 6 => $"Split the pool to leave {Them(addresses)} out: {string.Join(", ", rest.Select(r => $"'{r}'"))}.",
        _ => $"Split the pool to leave {Them(addresses)} out: {string.Join(", ", rest.Take(6).Select(r => $"'{r}'"))}, … ({rest.Count} ranges).",
    };

    // ---- High availability ----------------------------------------------------------------------
    public static Diagnostic RolesDoNotFit(SourceLocation at, string mode, string found) =>
        Create(HaRoles, at, $"mode {mode} needs {ExpectedRoles(mode)}, but the servers are: {found}. Fix the servers' roles or the mode.");

    public static Diagnostic HaPortClash(SourceLocation at, long port, SourceLocation agentAt) =>
        Create(PortClash, at, $"high-availability port {port} is also the control agent's port ({agentAt}); the HA listener and the agent cannot share it. Use another port for one of them (e.g. HA 8000, agent 8001).", agentAt);

    public static Diagnostic ServerNameTwice(SourceLocation at, string name, SourceLocation first) =>
        Create(DuplicateServer, at, $"server name '{name}' is already used at {first}; each server needs its own name (it becomes its this-server-name).", first);

    public static Diagnostic ServerAddressTwice(SourceLocation at, Ipv4Address address, string name, string firstName, SourceLocation first) =>
        Create(DuplicateServer, at, $"{name} has address {address}, which is already {firstName}'s ({first}); its HA listener would try to bind its partner's address (the 'Cannot assign requested address' failure). Give each server its own address.", first);

    public static Diagnostic PoolCannotSplit(SourceLocation at, string pool, string first, string second) =>
        Create(PoolTooSmallToSplit, at, $"pool '{pool}' has one address, which load-balancing cannot split between the two servers: {first} serves it alone ({second} only while {first} is down); widen the pool to share it, or make it a reservation.");

    public static Diagnostic HaTimingOutOfOrder(SourceLocation at, long maxResponse, long heartbeat) =>
        Create(HaTiming, at, $"max-response-delay {maxResponse} ms is not greater than heartbeat-delay {heartbeat} ms; the partner would be declared unresponsive between two heartbeats. Make max-response-delay several heartbeats long.");

    public static Diagnostic AgentExposed(SourceLocation at, string host, long port, bool authenticated, bool haPeersNeedIt = false) =>
        Create(AgentOverPlainHttp, at, (authenticated
            ? $"the Control Agent listens on {host}:{port} over plain HTTP with basic authentication, so its password crosses the network in clear text (no TLS is rendered). "
            : $"the Control Agent listens on {host}:{port} over plain HTTP without authentication: anyone who reaches that port can reconfigure or shut down the DHCP server. ")
            + (haPeersNeedIt
                ? $"With multi-threading off the HA peers reach each other through it there (KGO309): keep that network to the servers{(authenticated ? string.Empty : " and add control-agent.authentication")}, or turn multi-threading on, so the HA hook's own listener carries their traffic and the agent can listen on 127.0.0.1."
                : $"keagitops reaches the agent through SSH: set control-agent.host to 127.0.0.1{(authenticated ? "." : ", and add control-agent.authentication.")}"));

    public static Diagnostic AgentBindsOtherServersAddress(SourceLocation at, string host, string owner, string server) =>
        Create(AgentOnOneServersAddress, at, $"the Control Agent of {server} would listen on {host}, which is {owner}'s address: it cannot bind there and does not start. Set each server's own address under servers[].control-agent.host (or use 127.0.0.1 for both).");

    public static Diagnostic HaAgentPortNotPeerPort(SourceLocation at, long agentPort, long haPort) =>
        Create(HaPeersNeedTheAgents, at, $"multi-threading is off, so each partner's HA requests go to the Control Agent at the peer URL's port {haPort}, but the agent listens on {agentPort}; set control-agent.port to {haPort} (or high-availability.port to {agentPort}).");

    public static Diagnostic HaAgentNotOnServerAddress(SourceLocation at, string server, string host, string address) =>
        Create(HaPeersNeedTheAgents, at, $"multi-threading is off, so {server}'s partner sends its HA requests to {server}'s Control Agent at {address}, but that agent listens on {host}; declare servers[].control-agent.host: {address} for {server}.");

    // ---- Timers and options ---------------------------------------------------------------------
    public static Diagnostic TimersOutOfOrder(SourceLocation at, string scope, string smaller, long smallerValue, string larger, long largerValue) =>
        Create(TimerOrder, at, $"in {scope}, {smaller} ({smallerValue}) must be less than {larger} ({largerValue}); clients need renew < rebind < valid-lifetime.");

    public static Diagnostic OptionUnknown(SourceLocation at, string name, string space, string? suggestion) =>
        Create(UnknownOption, at, (space == "dhcp4"
            ? $"'{name}' is not a standard DHCPv4 option name and no option-def defines it"
            : $"no option-def defines an option '{name}' in space {space}")
            + (suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)")
            + "; check the spelling against Kea's list of standard options (e.g. routers, domain-name-servers, capwap-ac-v4), or define the option under option-def (name, code, type, space).");

    public static Diagnostic OptionValueCount(SourceLocation at, string name, int count, string expected) =>
        Create(InvalidOptionValue, at, $"option {name} has {count} value(s), but its definition takes {expected}; give one value for each field.");

    public static Diagnostic OptionTakesMoreValues(SourceLocation at, string name, int count, int fields) =>
        Create(OptionNotArray, at, $"option {name} is a record of {fields} fields, but {count} values are given; Kea would drop the ones after the {fields}th silently. Remove them, or make the option-def an array.");

    public static Diagnostic OptionDefinitionInvalid(SourceLocation at, string name, string problem) =>
        Create(InvalidOptionDefinition, at, $"option-def {name}: {problem}.");

    public static Diagnostic OptionCodeMismatch(SourceLocation at, string name, long code, int expected) =>
        Create(InvalidOptionValue, at, $"option {name} has code {expected}, not {code}; remove the code or fix it.");

    public static Diagnostic OptionValueInvalid(SourceLocation at, string name, string value, string problem) =>
        Create(InvalidOptionValue, at, $"'{value}' is not a valid value for option {name}: {problem}.");

    public static Diagnostic OptionTakesOneValue(SourceLocation at, string name, int count) =>
        Create(OptionNotArray, at, $"option {name} takes one value, but {count} are given; keep one.");

    public static Diagnostic OptionValueUnrepresentable(SourceLocation at, string name, string value, string reason) =>
        Create(UnrepresentableOptionValue, at, $"option {name} cannot deliver '{value}' as written: {reason}.");

    public static Diagnostic OptionValueWithKeaEscape(SourceLocation at, string name, string value) =>
        Create(HandWrittenKeaEscape, at, $"option {name} value '{value}' holds '\\,', Kea's escape for a comma; keagitops escapes commas itself, so clients receive the backslash as well. Write ',' alone unless the backslash is meant.");

    // ---- Kea version ----------------------------------------------------------------------------
    public static Diagnostic SettingNotInVersion(SourceLocation at, string setting, string version, string since) =>
        Create(NotInKeaVersion, at, $"{setting} exists from Kea {since} on; Kea {version} would ignore it silently. Remove it, or set kea.version to {since}.");

    public static Diagnostic SocketPathRestricted(SourceLocation at, string version, string path, string bare) =>
        Create(RestrictedPath, at, $"Kea {version} creates control sockets only in its own socket directory, which differs between packagings; '{path}' may be refused. Give the bare name '{bare}'.");

    private static string ExpectedRoles(string mode) => mode switch
    {
        "load-balancing" => "exactly two servers, one primary and one secondary",
        "hot-standby" => "exactly two servers, one primary and one standby",
        _ => "one primary and at least one backup",
    };
}
