namespace KeaGitOps.Core.Diagnostics;

/// <summary>
/// What the README says about a code: its severity, a title, why it matters, and the ISC Stork config
/// review checker that looks for the same thing (null when Stork has none).
/// </summary>
public sealed record RuleInfo(string Code, Severity Severity, string Title, string Why, string? Stork = null);

/// <summary>
/// The one place where findings are made. Every code has one severity, one message shape that says
/// what is wrong and what to do, and one entry in <see cref="Rules"/> (which the README documents and a
/// test keeps in step). Call sites never build messages themselves.
/// </summary>
public static partial class DiagnosticCatalogue
{
    private static readonly Dictionary<string, RuleInfo> ByCode = [];

    // ---- Loading: KGO0xx ------------------------------------------------------------------------
    public static readonly RuleInfo YamlSyntax = Rule("KGO001", Severity.Error, "YAML syntax error",
        "The file is not valid YAML; nothing in it can be trusted.");
    public static readonly RuleInfo DuplicateKey = Rule("KGO002", Severity.Error, "Duplicate key",
        "YAML parsers disagree on which of two equal keys wins; one of the values would be lost silently.");
    public static readonly RuleInfo UnreadableInventory = Rule("KGO003", Severity.Error, "Inventory cannot be read",
        "The inventory folder or one of its files is missing or unreadable.");
    public static readonly RuleInfo WrongDocumentShape = Rule("KGO004", Severity.Error, "Wrong file shape",
        "Top-level inventory files hold a mapping; reservation files hold a list; one YAML document per file.");
    public static readonly RuleInfo IncludeNotFound = Rule("KGO005", Severity.Error, "reservations-from target not found",
        "A reservations file or folder named in the inventory does not exist, so its reservations would be missing.");
    public static readonly RuleInfo YamlRefused = Rule("KGO006", Severity.Error, "YAML construct refused",
        "Aliases that expand past a limit (an alias bomb), nesting deeper than 64 levels, merge keys (<<) and tags other than !!str would make reading unbounded or change values silently; write the values out.");
    public static readonly RuleInfo NotUtf8 = Rule("KGO007", Severity.Error, "File is not UTF-8 text",
        "A byte that is not UTF-8 (a Windows-1252 ü), a NUL or UTF-16 would otherwise be replaced or cut silently on its way into the rendered config.");
    public static readonly RuleInfo LinkRefused = Rule("KGO008", Severity.Error, "Link loops or leaves the inventory",
        "A symbolic link back into a folder that contains it would be followed without end; one leading out of the inventory reads files nobody reviews with it.");
    public static readonly RuleInfo ReservationsReadTwice = Rule("KGO009", Severity.Error, "Reservations referenced twice",
        "A reservations file or folder named by two reservations-from would put every reservation in it twice; it belongs to one subnet.");

    // ---- Schema: KGO1xx -------------------------------------------------------------------------
    public static readonly RuleInfo UnknownKey = Rule("KGO101", Severity.Error, "Unknown key",
        "Typos must not be ignored: an unknown key is almost always a setting the user believes is applied.");
    public static readonly RuleInfo MissingKey = Rule("KGO102", Severity.Error, "Missing required key",
        "The inventory lacks something every rendered config needs.");
    public static readonly RuleInfo WrongType = Rule("KGO103", Severity.Error, "Wrong value type",
        "A value of the wrong type (a quoted number, a list where one value goes) would render a config Kea rejects.");
    public static readonly RuleInfo InvalidValue = Rule("KGO104", Severity.Error, "Value not allowed",
        "The value is outside what the schema allows (enumeration, range, format or pattern).");
    public static readonly RuleInfo SecretInInventory = Rule("KGO105", Severity.Error, "Secret in the inventory",
        "Secrets never live in git: reference a file on the server (password-file) or an environment variable.");
    public static readonly RuleInfo SettingWrittenTwice = Rule("KGO106", Severity.Error, "Setting written twice",
        "One Kea setting written both in keagitops's own form and as Kea's key: only one can be rendered, and the other would be dropped silently.");
    public static readonly RuleInfo DeprecatedKeaName = Rule("KGO107", Severity.Warning, "Deprecated Kea name",
        "Kea still reads the older name, with a deprecation warning in its log, and a later version will refuse it.");

    // ---- Addressing and reservations: KGO2xx ----------------------------------------------------
    public static readonly RuleInfo DuplicateReservedAddress = Rule("KGO201", Severity.Error, "Address reserved twice",
        "Two devices would be promised one address (the user's 192.168.1.74 incident); Kea also refuses to load it.");
    public static readonly RuleInfo DuplicateIdentifier = Rule("KGO202", Severity.Error, "Identifier reserved twice",
        "The same identifier (hw-address, client-id, duid, circuit-id or flex-id) twice in a subnet: Kea refuses to load the config.");
    public static readonly RuleInfo ReservationOutsideSubnet = Rule("KGO203", Severity.Error, "Reservation outside its subnet",
        "Kea refuses a reservation whose address is not in the subnet it is declared in.");
    public static readonly RuleInfo ReservationsInPool = Rule("KGO204", Severity.Warning, "Reservations inside a dynamic pool",
        "Kea honours in-pool reservations, but an address leased dynamically before its reservation was added stays with that other client until the lease expires.");
    public static readonly RuleInfo PoolOutsideSubnet = Rule("KGO205", Severity.Error, "Pool outside its subnet",
        "Kea refuses a pool that is not inside its subnet.");
    public static readonly RuleInfo OverlappingPools = Rule("KGO206", Severity.Error, "Overlapping pools",
        "Two pools share addresses; Kea refuses the config.");
    public static readonly RuleInfo OverlappingSubnets = Rule("KGO207", Severity.Error, "Overlapping subnets",
        "Two subnets share addresses: which one a client lands in depends on Kea's selection order.", stork: "overlapping_subnet");
    public static readonly RuleInfo NonCanonicalPrefix = Rule("KGO208", Severity.Error, "Non-canonical prefix",
        "A prefix with host bits set (192.168.1.5/24) is almost always a typo for the network address.", stork: "canonical_prefix");
    public static readonly RuleInfo DuplicateSubnetId = Rule("KGO209", Severity.Error, "Subnet id used twice",
        "Subnet ids tie leases to subnets on both HA peers; duplicates break lease updates and Kea refuses them.");
    public static readonly RuleInfo MalformedMac = Rule("KGO210", Severity.Error, "Malformed hw-address",
        "A MAC with hyphens or the wrong length stopped Kea from starting elsewhere (opnsense/core#8683).");
    public static readonly RuleInfo DuplicateHostname = Rule("KGO211", Severity.Warning, "Hostname reserved twice",
        "Two reservations with one hostname make DNS updates and log searches ambiguous.");
    public static readonly RuleInfo MalformedPool = Rule("KGO212", Severity.Error, "Malformed pool",
        "A pool is written 'FIRST - LAST' or as a prefix inside the subnet, with FIRST not after LAST.");
    public static readonly RuleInfo ReservationIdentifier = Rule("KGO213", Severity.Error, "Reservation needs exactly one identifier",
        "Kea matches a reservation by exactly one identifier: give one of hw-address, client-id, duid, circuit-id or flex-id, not two, not none.");
    public static readonly RuleInfo InvalidHostname = Rule("KGO214", Severity.Error, "Invalid hostname",
        "Hostnames are DNS labels (letters, digits, hyphens; 63 characters a label); anything else breaks DNS updates.");
    public static readonly RuleInfo ReservedNetworkOrBroadcast = Rule("KGO215", Severity.Error, "Reservation on the network or broadcast address",
        "The first and last address of a subnet cannot be given to a host.");
    public static readonly RuleInfo ReservedInfrastructureAddress = Rule("KGO216", Severity.Error, "Reservation on an infrastructure address",
        "The address is a DHCP server's own or the subnet's router: a device given it would take that host off the network.");
    public static readonly RuleInfo EmptySubnet = Rule("KGO217", Severity.Warning, "Subnet with no pools and no reservations",
        "Kea would never hand out an address in it.", stork: "dispensable_subnet");
    public static readonly RuleInfo MalformedClientId = Rule("KGO218", Severity.Error, "Malformed identifier",
        "Kea reads a client-id, duid, circuit-id or flex-id as hexadecimal bytes (separated by colons or spaces, or unseparated), or as a string in single quotes.");
    public static readonly RuleInfo DeviceReservedTwice = Rule("KGO219", Severity.Error, "One device reserved by two identifiers",
        "A client-id derived from a reserved hw-address (01 and the MAC, the bare MAC, or an RFC 4361 DUID built from it) is the same device: Kea checks hw-address first, so the client-id reservation never takes effect and its address is withheld from every client.");
    public static readonly RuleInfo PoolLeasesInfrastructure = Rule("KGO220", Severity.Error, "Pool would lease an address that must never be leased",
        "Kea leases every pool address nobody has reserved: a pool covering the network or broadcast address, a DHCP server, a router, a DNS server or another address the options name gives a client that host's address.");
    public static readonly RuleInfo PoolCoversReservedInfrastructure = Rule("KGO221", Severity.Warning, "Pool covers an infrastructure address that only a reservation protects",
        "Kea withholds a reserved address from other clients, so the server or service named in the options keeps its address only while that reservation exists.");
    public static readonly RuleInfo PoolExhaustedByReservations = Rule("KGO222", Severity.Warning, "Pool exhausted by reservations",
        "Every address of the pool is reserved, or in load-balancing every address of one server's halves of a subnet's pools: clients without a reservation get no address there.", stork: "address_pools_exhausted_by_reservations");

    public static readonly RuleInfo PoolScopeClassByHand = Rule("KGO223", Severity.Error, "HA scope class written on a pool",
        "keagitops splits every pool between the servers' HA scopes (HA_ classes) itself; a pool that names one by hand, or a class that tests one, would be served by one server only (half of it never), or by none after a rename.");
    public static readonly RuleInfo PoolClassUndefined = Rule("KGO224", Severity.Error, "Pool restricted to a class defined nowhere",
        "A misspelt or undefined class leaves the pool to no client at all, and the class keagitops combines with the HA scope can only name defined classes (Kea refuses the config otherwise).");
    public static readonly RuleInfo PoolClassUnquotable = Rule("KGO225", Severity.Error, "Pool class name a class test cannot name",
        "Where a pool's classes are combined with the HA scope (or several become one class on Kea 2.x), the combined class tests member('NAME'), and Kea's expressions have no way to write a quote inside a name.");
    public static readonly RuleInfo DuplicateSharedNetwork = Rule("KGO226", Severity.Error, "Shared network name used twice",
        "Kea names each shared network once (it refuses the config otherwise), and diff and import match networks by name.");
    public static readonly RuleInfo DispensableSharedNetwork = Rule("KGO227", Severity.Warning, "Shared network with one subnet or none",
        "A shared network exists to offer clients on one link the addresses of several subnets; with one subnet (or none) it only adds a scope to read.", stork: "dispensable_shared_network");
    public static readonly RuleInfo PoolClassOfAbsentScope = Rule("KGO228", Severity.Warning, "Pool restricted to the HA scope of no server of the pair",
        "A class testing member('HA_x') for a server x outside the pair never matches (the HA hook only assigns its own servers' scopes): the pool it guards is never used.");

    // ---- High availability and control: KGO3xx --------------------------------------------------
    public static readonly RuleInfo HaRoles = Rule("KGO301", Severity.Error, "HA roles do not fit the mode",
        "load-balancing needs one primary and one secondary; hot-standby one primary and one standby; passive-backup one primary and backups.");
    public static readonly RuleInfo PortClash = Rule("KGO302", Severity.Error, "HA port clashes with the control channel",
        "The HA listener and the Control Agent cannot bind the same port; one of them fails to start.", stork: "ha_dedicated_ports");
    public static readonly RuleInfo DuplicateServer = Rule("KGO304", Severity.Error, "Server name or address used twice",
        "this-server-name and each peer URL are derived from servers[]; duplicates make a server bind its partner's address (the user's incident).");
    public static readonly RuleInfo PoolTooSmallToSplit = Rule("KGO305", Severity.Warning, "Pool too small to split",
        "In load-balancing mode every pool is split between the two servers; a one-address pool cannot be, so it goes whole to the primary's scope and its partner serves it only while the primary is down.");
    public static readonly RuleInfo HaTiming = Rule("KGO306", Severity.Warning, "HA timing out of order",
        "max-response-delay should be greater than heartbeat-delay, or a partner is declared down between two heartbeats.");
    public static readonly RuleInfo AgentOverPlainHttp = Rule("KGO307", Severity.Warning, "Control Agent listens on the network over plain HTTP",
        "The inventory renders no TLS for the Control Agent: on an address other than loopback, its password crosses the network in clear text, or without authentication anyone who reaches the port can reconfigure the server.", stork: "agent_credentials_over_https");
    public static readonly RuleInfo AgentOnOneServersAddress = Rule("KGO308", Severity.Error, "Control Agent address belongs to one server",
        "An address is one server's fact: an agent told to bind another server's address cannot start there (the same class of fault as the user's incident). Declare it per server under servers[].control-agent.host.");

    public static readonly RuleInfo HaPeersNeedTheAgents = Rule("KGO309", Severity.Error, "HA without multi-threading needs the Control Agents on the peer URLs",
        "With multi-threading off, Kea turns off the HA hook's own listener: a partner's heartbeats and lease updates reach a server only through its Control Agent, so each agent must listen on its server's address at the HA port, or the pair never leaves waiting.");

    // ---- Timers and options: KGO4xx -------------------------------------------------------------
    public static readonly RuleInfo TimerOrder = Rule("KGO401", Severity.Error, "Timers out of order",
        "Clients renew at renew-timer, rebind at rebind-timer, and lose the lease at valid-lifetime: renew < rebind < valid-lifetime. Kea only warns and ignores renew.");
    public static readonly RuleInfo UnknownOption = Rule("KGO402", Severity.Error, "Unknown option",
        "Kea rejects an option name it has no definition for.");
    public static readonly RuleInfo InvalidOptionValue = Rule("KGO403", Severity.Error, "Option value does not fit its type",
        "Kea rejects option data that does not parse as the option's type; it is caught here with its line.");
    public static readonly RuleInfo OptionNotArray = Rule("KGO404", Severity.Error, "Several values for a single-valued option",
        "The option carries one value; a list would be refused by Kea.");
    public static readonly RuleInfo UnrepresentableOptionValue = Rule("KGO405", Severity.Error, "Option value Kea would change",
        "Kea trims each option value and cannot carry an empty one among several, with no error; such a value would reach clients changed. Commas and backslashes are escaped for Kea, so they arrive as written.");
    public static readonly RuleInfo HandWrittenKeaEscape = Rule("KGO406", Severity.Warning, "Kea's comma escape written by hand",
        "keagitops escapes option values for Kea itself, so Kea's escape for a comma (a backslash before it) copied from a Kea config reaches clients with its backslash.");
    public static readonly RuleInfo InvalidOptionDefinition = Rule("KGO407", Severity.Error, "Option definition Kea refuses",
        "Kea refuses an option-def it cannot build (a record with one field, a string before other fields, an array of strings, a standard option's code in dhcp4, a name or code defined twice), and the whole config with it.");

    // ---- Kea version: KGO5xx --------------------------------------------------------------------
    public static readonly RuleInfo RestrictedPath = Rule("KGO501", Severity.Error, "Path outside what Kea 2.6 and 3.0 allow",
        "Kea 3.0 and 2.6 (2.6.3 on) only load sockets, hooks, leases and logs from their default directories.");
    public static readonly RuleInfo NotInKeaVersion = Rule("KGO503", Severity.Error, "Setting the Kea version does not have",
        "The target Kea version has no such setting, and ignores it without a word where it is a hook's parameter (lease_cmds reads binding-variables from Kea 3.0 on).");
    public static readonly RuleInfo RenamedKeaKey = Rule("KGO502", Severity.Error, "Renamed Kea parameter",
        "The key is an older Kea name; the inventory uses the current one.");

    // ---- Rendering: KGO6xx ----------------------------------------------------------------------
    public static readonly RuleInfo TemplateError = Rule("KGO601", Severity.Error, "Template error",
        "A Scriban template failed to parse or run: a bug in the template, reported with its line.");
    public static readonly RuleInfo TemplateInvalidJson = Rule("KGO602", Severity.Error, "Template produced invalid JSON",
        "A template emitted text that is not JSON: a bug in the template, reported with its line.");
    public static readonly RuleInfo RenderedIdentity = Rule("KGO603", Severity.Error, "Rendered HA identity is wrong",
        "A server's this-server-name must be its own name and its own peer URL must carry its own address, or the HA listener cannot bind (the user's incident).");
    public static readonly RuleInfo RenderedConfigsDiverge = Rule("KGO604", Severity.Error, "Rendered configs differ beyond per-server facts",
        "The pair's kea-dhcp4.conf files may differ only in this-server-name and the facts declared under servers.");

    public static IReadOnlyCollection<RuleInfo> Rules => ByCode.Values;

    public static RuleInfo Find(string code) => ByCode[code];

    /// <summary>
    /// Every finding is made here. Messages quote inventory and template text, so control characters are
    /// shown as escapes: a hostile value must not be able to forge a line of output or an annotation.
    /// </summary>
    private static Diagnostic Create(RuleInfo rule, SourceLocation location, string message, params SourceLocation[] related) =>
        new(rule.Code, rule.Severity, location, Printable(message)) { Related = related };

    private static string Printable(string value) =>
        value.Any(char.IsControl) ? string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())) : value;

    private static RuleInfo Rule(string code, Severity severity, string title, string why, string? stork = null)
    {
        var info = new RuleInfo(code, severity, title, why, stork);
        ByCode.Add(code, info);
        return info;
    }
}
