namespace KeaGitOps.Core.Rendering;

// What the Scriban templates see, per server. Templates reach these as snake_case members
// (ThisServer.Name is this_server.name). Every string here is already a complete JSON literal
// (quoted and escaped by CanonicalJson.Quote): templates emit it as is, never inside quotes, so no
// inventory text can change the structure of the JSON. Numbers and booleans are plain values;
// optional values are null and tested with `if`. The *Json members are finished JSON built from those
// literals (JsonFragments): option lists, option definitions and each subnet's reservations.

/// <summary>The root object of a template: the inventory as rendered for one server.</summary>
public sealed record RenderModel(
    KeaTarget Kea,
    ServerView ThisServer,
    IReadOnlyList<ServerView> Servers,
    HaView Ha,
    ControlAgentView ControlAgent,
    string ControlSocketName,
    LeaseDatabaseView LeaseDatabase,
    LoggingView Logging,
    TimersView Timers,
    IReadOnlyList<OptionView> OptionData,
    string OptionDataJson,
    IReadOnlyList<SubnetView> Subnets,
    IReadOnlyList<SharedNetworkView> SharedNetworks,
    ProvenanceView Provenance,
    string? OptionDefJson = null,
    string? LeaseCmdsParametersJson = null);

/// <summary>Version-specific syntax, decided once (KeaVersions) so templates only ask yes/no questions.</summary>
/// <param name="PoolClientClasses">a pool's class as a <c>client-classes</c> list (3.0) rather than one <c>client-class</c>.</param>
/// <param name="OutputOptions">loggers' <c>output-options</c> (2.6, 3.0) rather than <c>output_options</c> (2.2).</param>
/// <param name="RuntimeCommandLibraries">libdhcp_host_cmds.so and libdhcp_subnet_cmds.so as the config names them, or none when it does not load them (deploy.runtime-changes: false, or a version without them).</param>
public sealed record KeaTarget(
    string Version,
    bool PoolClientClasses,
    bool OutputOptions,
    string LeaseCmdsLibrary,
    string HaLibrary,
    IReadOnlyList<string>? RuntimeCommandLibraries = null);

public sealed record ServerView(string Name, string Address, string Role, string PeerUrl, IReadOnlyList<string> Interfaces, bool IsThisServer);

/// <param name="DedicatedListener">the HA hook's own listener on each peer URL (multi-threading on); else the peers reach each other through the Control Agents (<see cref="HaPeers"/>).</param>
/// <param name="BasicAuthUser">the agent's user, which a peer gives when it reaches its partner through the agent (with the password file's path), or null.</param>
public sealed record HaView(
    string Mode,
    bool IsLoadBalancing,
    long Port,
    long HeartbeatDelay,
    long MaxResponseDelay,
    long MaxAckDelay,
    long MaxUnackedClients,
    bool AutoFailover,
    bool DedicatedListener = true,
    string? BasicAuthUser = null,
    string? BasicAuthPasswordFile = null);

public sealed record ControlAgentView(string Host, long Port, ControlAgentAuthenticationView? Authentication);

public sealed record ControlAgentAuthenticationView(string User, string PasswordFile, string Directory);

public sealed record LeaseDatabaseView(long LfcInterval);

public sealed record LoggingView(string Severity, long DebugLevel, string Output);

public sealed record TimersView(long? RenewTimer, long? RebindTimer, long? ValidLifetime);

/// <param name="KeaKeys">the long form's other Kea keys as members, each followed by a comma, or null.</param>
public sealed record OptionView(string Name, long? Code, string? Space, string Data, bool? CsvFormat, bool? AlwaysSend, bool? NeverSend, string? KeaKeys = null);

/// <summary>A pool as Kea writes it; in load-balancing mode one half of a split pool, with its server's scope class.</summary>
/// <param name="ClientClass">the quoted class names guarding the pool, comma-separated (one on Kea 2.x, which takes one <c>client-class</c>), or null.</param>
/// <param name="OptionDataJson">the pool's own option-data, or null.</param>
/// <param name="KeaKeys">the pool's Kea keys as members, each followed by a comma, or null.</param>
public sealed record PoolView(string Pool, string? ClientClass, string? OptionDataJson = null, string? KeaKeys = null);

public sealed record SubnetView(
    long Id,
    string Subnet,
    string? Comment,
    IReadOnlyList<PoolView> Pools,
    TimersView Timers,
    IReadOnlyList<OptionView> OptionData,
    string OptionDataJson,
    IReadOnlyList<ReservationView> Reservations,
    string ReservationsJson);

/// <summary>A shared network with its own subnets; its Kea keys are laid over the template's output by name (<see cref="KeaKeysOverlay"/>).</summary>
public sealed record SharedNetworkView(
    string Name,
    TimersView Timers,
    IReadOnlyList<OptionView> OptionData,
    string OptionDataJson,
    IReadOnlyList<SubnetView> Subnets);

/// <summary>One reservation (templates that lay reservations out themselves loop over these; the shipped one emits <see cref="SubnetView.ReservationsJson"/>).</summary>
/// <param name="KeaKeys">Kea's own keys written in the reservation, as finished JSON members each followed by a comma (<c>"next-server": "192.0.2.1",</c>); null when none.</param>
/// <param name="IdentifierName">the Kea key of the reservation's identifier (hw-address, client-id, duid, circuit-id, flex-id).</param>
/// <param name="IpAddress">the quoted address, or null for a reservation that gives a client a hostname, options or classes only.</param>
public sealed record ReservationView(string IdentifierName, string Identifier, string? IpAddress, string? Hostname, string? Comment, IReadOnlyList<OptionView> OptionData, string? KeaKeys = null);

/// <summary>Where the config came from, kept in Dhcp4.user-context so a live config can be traced to a commit.</summary>
public sealed record ProvenanceView(string Generator, string InventoryDigest, string? SourceCommit, bool? SourceDirty);
