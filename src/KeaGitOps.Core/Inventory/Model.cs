using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Diagnostics;

namespace KeaGitOps.Core.Inventory;

/// <summary>The YAML key a model property is read from. Every bound property has one (a test checks).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KeyAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>
/// Marks a model type whose mapping may also hold Kea's own keys for one Kea scope, written as Kea
/// writes them: the path from a Kea root ("Dhcp4", "Control-agent" or "high-availability") through the
/// keys that lead there. Such keys are checked against Kea's key table for the inventory's version
/// (KeaSettingsRules) and rendered as written, laid over what the templates write.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class KeaScopeAttribute(params string[] path) : Attribute
{
    public IReadOnlyList<string> Path { get; } = path;
}

/// <summary>A value read from a YAML list, with its place.</summary>
public readonly record struct Located<T>(T Value, SourceLocation Location);

/// <summary>
/// Base of every object read from a YAML mapping: remembers where the mapping and each of its keys
/// were, so a rule can point at the exact value it complains about.
/// </summary>
public abstract class ModelObject
{
    private (string Property, SourceLocation Location)[] _fields = [];

    public SourceLocation Location { get; internal set; }

    /// <summary>Where the value of <paramref name="property"/> (a C# property name: use nameof) was written.</summary>
    public SourceLocation LocationOf(string property)
    {
        foreach (var (name, location) in _fields)
        {
            if (name == property)
            {
                return location;
            }
        }

        return Location;
    }

    /// <summary>Whether <paramref name="property"/> (a C# property name) was written in the mapping, rather than left at its default.</summary>
    public bool Wrote(string property) => Array.Exists(_fields, f => f.Property == property);

    internal void SetFieldLocations((string Property, SourceLocation Location)[] fields) => _fields = fields;

    /// <summary>
    /// Kea's own keys written in this mapping beside the typed ones, in the order written (only on types
    /// marked <see cref="KeaScopeAttribute"/>; elsewhere an unknown key is a schema error).
    /// </summary>
    public IReadOnlyList<MappingEntry> KeaKeys { get; internal set; } = [];
}

/// <summary>Oldest first: KeaVersions compares them. 2.6 means 2.6.3 or later (Debian 13's), the first 2.6 with the path restrictions.</summary>
public enum KeaVersion
{
    V2_2,
    V2_6,
    V3_0,
}

public enum HaMode
{
    LoadBalancing,
    HotStandby,
    PassiveBackup,
}

public enum HaRole
{
    Primary,
    Secondary,
    Standby,
    Backup,
}

public enum LogOutput
{
    Stdout,
    Syslog,
    File,
}

/// <summary>The whole inventory: the pair (or fleet) of servers and everything they serve.</summary>
[KeaScope("Dhcp4")]
public sealed class InventoryModel : ModelObject
{
    [Key("kea")] public KeaSettings Kea { get; set; } = new();
    [Key("servers")] public List<Server> Servers { get; set; } = [];
    [Key("ssh")] public SshSettings Ssh { get; set; } = new();
    [Key("deploy")] public DeploySettings Deploy { get; set; } = new();
    [Key("git")] public GitSettings Git { get; set; } = new();
    [Key("high-availability")] public HighAvailability HighAvailability { get; set; } = new();
    [Key("control-agent")] public ControlAgent ControlAgent { get; set; } = new();
    [Key("control-socket")] public ControlSocket ControlSocket { get; set; } = new();
    [Key("lease-database")] public LeaseDatabase LeaseDatabase { get; set; } = new();
    [Key("logging")] public Logging Logging { get; set; } = new();
    [Key("renew-timer")] public long? RenewTimer { get; set; }
    [Key("rebind-timer")] public long? RebindTimer { get; set; }
    [Key("valid-lifetime")] public long? ValidLifetime { get; set; }
    [Key("option-data")] public List<OptionValue> OptionData { get; set; } = [];
    [Key("option-def")] public List<OptionDef> OptionDefs { get; set; } = [];
    [Key("lease-cmds")] public LeaseCommands LeaseCommands { get; set; } = new();
    [Key("subnets")] public List<Subnet> Subnets { get; set; } = [];
    [Key("shared-networks")] public List<SharedNetwork> SharedNetworks { get; set; } = [];

    /// <summary>Every subnet the servers serve: those under <c>subnets</c>, then each shared network's, in the order written.</summary>
    public IEnumerable<Subnet> AllSubnets => SharedNetworks.Count == 0 ? Subnets : Subnets.Concat(SharedNetworks.SelectMany(n => n.Subnets));
}

public sealed class KeaSettings : ModelObject
{
    [Key("version")] public KeaVersion Version { get; set; } = KeaVersion.V3_0;

    /// <summary>Only used for Kea 2.2, which needs full hook paths (2.6 and 3.0 take bare names from their own directory).</summary>
    [Key("hooks-directory")] public string HooksDirectory { get; set; } = "/usr/lib/x86_64-linux-gnu/kea/hooks";

    /// <summary>Only used for Kea 2.2, which needs a full socket path (2.6 and 3.0 resolve bare names in their socket directory).</summary>
    [Key("socket-directory")] public string SocketDirectory { get; set; } = "/run/kea";
}

public sealed class Server : ModelObject
{
    [Key("name")] public string Name { get; set; } = string.Empty;
    [Key("address")] public Ipv4Address? Address { get; set; }
    [Key("role")] public HaRole? Role { get; set; }
    [Key("interfaces")] public List<Located<string>> Interfaces { get; set; } = [];
    [Key("ssh")] public SshSettings? Ssh { get; set; }
    [Key("deploy")] public DeploySettings? Deploy { get; set; }
    [Key("control-agent")] public ServerControlAgent? ControlAgent { get; set; }
    [Key("dhcp4")] public ServerDhcp4? Dhcp4 { get; set; }
    [Key("high-availability")] public ServerHighAvailability? HighAvailability { get; set; }

    /// <summary>Where this server's Control Agent listens: its own host when declared, else the pair's (<paramref name="pair"/>).</summary>
    public string AgentHost(ControlAgent pair) => ControlAgent?.Host ?? pair.Host;

    /// <summary>Whether the server declares Kea keys of its own (laid over its configs only).</summary>
    public bool HasOwnKeaKeys => (Dhcp4?.KeaKeys.Count ?? 0) + (HighAvailability?.KeaKeys.Count ?? 0) + (ControlAgent?.KeaKeys.Count ?? 0) > 0;
}

/// <summary>
/// What one server's Control Agent binds, where it differs from the pair's: an address is one server's fact.
/// Also Kea's agent keys that are this server's own (its TLS certificate and key files).
/// </summary>
[KeaScope("Control-agent")]
public sealed class ServerControlAgent : ModelObject
{
    [Key("host")] public string? Host { get; set; }
}

/// <summary>
/// Kea's Dhcp4 keys that are one server's own, laid over that server's kea-dhcp4.conf only: what Kea binds to
/// the server's address (<c>dhcp-ddns.sender-ip</c>), its own files, its <c>server-tag</c>. What both servers
/// must agree on (subnets, options, classes, hooks, timers) is refused here.
/// </summary>
[KeaScope("Dhcp4")]
public sealed class ServerDhcp4 : ModelObject
{
}

/// <summary>The HA relationship's keys that are one server's own: its TLS certificate and key files (<c>cert-file</c>, <c>key-file</c>).</summary>
[KeaScope("high-availability")]
public sealed class ServerHighAvailability : ModelObject
{
}

public sealed class SshSettings : ModelObject
{
    [Key("host")] public string? Host { get; set; }
    [Key("user")] public string? User { get; set; }
    [Key("port")] public long? Port { get; set; }
    [Key("known-hosts")] public string? KnownHosts { get; set; }
    [Key("key-file")] public string? KeyFile { get; set; }
}

public sealed class GitSettings : ModelObject
{
    [Key("deploy-branch")] public string? DeployBranch { get; set; }
}

/// <summary>How deploy applies configs; unset values fall back to the inventory's, then to the defaults in <see cref="EffectiveDeploy"/>.</summary>
public sealed class DeploySettings : ModelObject
{
    [Key("config-directory")] public string? ConfigDirectory { get; set; }
    [Key("backups")] public long? Backups { get; set; }
    [Key("config-test-command")] public string? ConfigTestCommand { get; set; }
    [Key("restart-command")] public string? RestartCommand { get; set; }
    [Key("status-command")] public string? StatusCommand { get; set; }
    [Key("agent-restart-command")] public string? AgentRestartCommand { get; set; }
    [Key("agent-status-command")] public string? AgentStatusCommand { get; set; }
    [Key("stop-command")] public string? StopCommand { get; set; }
    [Key("ha-timeout")] public long? HaTimeout { get; set; }
    [Key("runtime-changes")] public bool? RuntimeChanges { get; set; }

    /// <summary>The older name of runtime-changes (reservations only, before subnet_cmds); runtime-changes wins when both are set.</summary>
    [Key("runtime-reservations")] public bool? RuntimeReservations { get; set; }

    public bool? RuntimeChangesOrOlderName => RuntimeChanges ?? RuntimeReservations;
}

/// <summary>The deploy settings in force for one server: its own, else the inventory's, else Debian's packaging defaults.</summary>
public sealed record EffectiveDeploy(
    string ConfigDirectory,
    int Backups,
    string ConfigTestCommand,
    string RestartCommand,
    string StatusCommand,
    string AgentRestartCommand,
    TimeSpan HaTimeout,
    bool RuntimeChanges)
{
    /// <summary>
    /// Whether the rendered configs load libdhcp_host_cmds.so and libdhcp_subnet_cmds.so, so that deploy
    /// can apply reservation and subnet changes without a restart or a reload: the inventory's top-level
    /// deploy.runtime-changes (default on) where the Kea version ships the hooks. One value for the pair,
    /// since both servers render the same hooks.
    /// </summary>
    public static bool LoadsRuntimeCommands(InventoryModel inventory) =>
        inventory.Kea.Version.ShipsRuntimeCommands() && inventory.Deploy.RuntimeChangesOrOlderName != false;

    private const string DefaultAgentStatusCommand = "systemctl is-active --quiet isc-kea-ctrl-agent";
    private const string DefaultStopCommand = "systemctl stop isc-kea-dhcp4-server";

    /// <summary>Exits 0 only while the Control Agent runs (status).</summary>
    public string AgentStatusCommand { get; init; } = DefaultAgentStatusCommand;

    /// <summary>Stops the DHCPv4 server (drill failover only).</summary>
    public string StopCommand { get; init; } = DefaultStopCommand;

    public static EffectiveDeploy For(InventoryModel inventory, Server server)
    {
        var own = server.Deploy;
        var shared = inventory.Deploy;
        return new EffectiveDeploy(
            own?.ConfigDirectory ?? shared.ConfigDirectory ?? "/etc/kea",
            (int)(own?.Backups ?? shared.Backups ?? 5),
            own?.ConfigTestCommand ?? shared.ConfigTestCommand ?? "kea-dhcp4 -t",
            own?.RestartCommand ?? shared.RestartCommand ?? "systemctl restart isc-kea-dhcp4-server",
            own?.StatusCommand ?? shared.StatusCommand ?? "systemctl is-active --quiet isc-kea-dhcp4-server",
            own?.AgentRestartCommand ?? shared.AgentRestartCommand ?? "systemctl restart isc-kea-ctrl-agent",
            TimeSpan.FromSeconds(own?.HaTimeout ?? shared.HaTimeout ?? 60),
            LoadsRuntimeCommands(inventory) && (own?.RuntimeChangesOrOlderName ?? true))
        {
            AgentStatusCommand = own?.AgentStatusCommand ?? shared.AgentStatusCommand ?? DefaultAgentStatusCommand,
            StopCommand = own?.StopCommand ?? shared.StopCommand ?? DefaultStopCommand,
        };
    }
}

[KeaScope("high-availability")]
public sealed class HighAvailability : ModelObject
{
    [Key("mode")] public HaMode Mode { get; set; } = HaMode.LoadBalancing;
    [Key("port")] public long Port { get; set; } = 8000;
    [Key("heartbeat-delay")] public long HeartbeatDelay { get; set; } = 10000;
    [Key("max-response-delay")] public long MaxResponseDelay { get; set; } = 60000;
    [Key("max-ack-delay")] public long MaxAckDelay { get; set; } = 10000;
    [Key("max-unacked-clients")] public long MaxUnackedClients { get; set; } = 10;
    [Key("auto-failover")] public bool AutoFailover { get; set; } = true;
}

[KeaScope("Control-agent")]
public sealed class ControlAgent : ModelObject
{
    [Key("host")] public string Host { get; set; } = "127.0.0.1";
    [Key("port")] public long Port { get; set; } = 8000;
    [Key("authentication")] public ControlAgentAuthentication? Authentication { get; set; }
}

/// <summary>Basic authentication for the Control Agent. The password lives in a file on the server, never here.</summary>
public sealed class ControlAgentAuthentication : ModelObject
{
    [Key("user")] public string User { get; set; } = "kea-api";
    [Key("password-file")] public string PasswordFile { get; set; } = "kea-api-password";

    /// <summary>Where the password file is on the server: a relative name is in /etc/kea (as the schema says), whatever the config directory.</summary>
    public string PasswordPath => PasswordFile.StartsWith('/') ? PasswordFile : $"{DefaultDirectory}/{PasswordFile}";

    private const string DefaultDirectory = "/etc/kea";
}

[KeaScope("Dhcp4", "control-socket")]
public sealed class ControlSocket : ModelObject
{
    [Key("socket-name")] public string SocketName { get; set; } = "kea4-ctrl-socket";
}

[KeaScope("Dhcp4", "lease-database")]
public sealed class LeaseDatabase : ModelObject
{
    [Key("type")] public string Type { get; set; } = "memfile";
    [Key("lfc-interval")] public long LfcInterval { get; set; } = 3600;
}

public sealed class Logging : ModelObject
{
    [Key("severity")] public string Severity { get; set; } = "INFO";
    [Key("debuglevel")] public long DebugLevel { get; set; }
    [Key("output")] public LogOutput Output { get; set; } = LogOutput.Stdout;
}

/// <summary>
/// A shared network (Kea's <c>shared-networks</c>): subnets on one link that serve the same clients, with the
/// settings they share. Its subnets are subnets like any other (ids unique across the inventory, pools split
/// between the servers, reservations ruled); what a subnet leaves unset it inherits from its network, then from
/// the global scope, as in Kea.
/// </summary>
[KeaScope("Dhcp4", "shared-networks")]
public sealed class SharedNetwork : ModelObject
{
    [Key("name")] public string Name { get; set; } = string.Empty;
    [Key("renew-timer")] public long? RenewTimer { get; set; }
    [Key("rebind-timer")] public long? RebindTimer { get; set; }
    [Key("valid-lifetime")] public long? ValidLifetime { get; set; }
    [Key("option-data")] public List<OptionValue> OptionData { get; set; } = [];
    [Key("subnets")] public List<Subnet> Subnets { get; set; } = [];
}

[KeaScope("Dhcp4", "subnet4")]
public sealed class Subnet : ModelObject
{
    [Key("id")] public long? Id { get; set; }
    [Key("subnet")] public string Prefix { get; set; } = string.Empty;
    [Key("comment")] public string? Comment { get; set; }
    [Key("pools")] public List<Pool> Pools { get; set; } = [];
    [Key("renew-timer")] public long? RenewTimer { get; set; }
    [Key("rebind-timer")] public long? RebindTimer { get; set; }
    [Key("valid-lifetime")] public long? ValidLifetime { get; set; }
    [Key("option-data")] public List<OptionValue> OptionData { get; set; } = [];
    [Key("reservations")] public List<Reservation> Reservations { get; set; } = [];

    /// <summary>Already spliced into <see cref="Reservations"/> by the loader; kept so the key is known.</summary>
    [Key(InventoryLoader.ReservationsFromKey)] public List<Located<string>> ReservationsFrom { get; set; } = [];
}

/// <summary>
/// One pool of a subnet: <c>FIRST - LAST</c> or a prefix, or the mapping form with the pool's own settings,
/// <c>{ pool: …, client-classes: [phones], option-data: {…} }</c>, and any other key Kea takes in a pool.
/// </summary>
[KeaScope("Dhcp4", "subnet4", "pools")]
public sealed class Pool : ModelObject
{
    /// <summary>The range as written; its location is the value's (a pool written as a bare string is all value).</summary>
    [Key("pool")] public Located<string> Range { get; set; } = new(string.Empty, default);

    /// <summary>
    /// The classes whose clients may take an address from this pool, any of them (Kea 3.0's reading). Rendered
    /// as Kea's pool client-classes, or client-class on Kea 2.x, and combined with the HA scope in load-balancing.
    /// </summary>
    [Key("client-classes")] public List<Located<string>> ClientClasses { get; set; } = [];

    [Key("option-data")] public List<OptionValue> OptionData { get; set; } = [];

    /// <summary>Whether the pool is only a range (written as a bare string, or a mapping with nothing else).</summary>
    public bool IsRangeOnly => ClientClasses.Count == 0 && OptionData.Count == 0 && KeaKeys.Count == 0;

    /// <summary>A pool written as a bare string.</summary>
    internal static Pool Of(Located<string> range)
    {
        var pool = new Pool { Location = range.Location, Range = range };
        pool.SetFieldLocations([(nameof(Range), range.Location)]);
        return pool;
    }
}

[KeaScope("Dhcp4", "subnet4", "reservations")]
public sealed class Reservation : ModelObject
{
    [Key("hw-address")] public string? HwAddress { get; set; }
    [Key("client-id")] public string? ClientId { get; set; }
    [Key("duid")] public string? Duid { get; set; }
    [Key("circuit-id")] public string? CircuitId { get; set; }
    [Key("flex-id")] public string? FlexId { get; set; }
    [Key("ip-address")] public Ipv4Address? IpAddress { get; set; }
    [Key("hostname")] public string? Hostname { get; set; }
    [Key("comment")] public string? Comment { get; set; }
    [Key("option-data")] public List<OptionValue> OptionData { get; set; } = [];

    /// <summary>A short name for messages: the hostname, else the identifier, else the address.</summary>
    public string Describe() => Hostname ?? FirstIdentifier?.Value ?? IpAddress?.ToString() ?? "reservation";

    /// <summary>
    /// The identifiers written, in Kea's lookup order (<c>host-reservation-identifiers</c>' default), with the
    /// model property each came from. Kea takes exactly one; the rules say so when there are more or none.
    /// </summary>
    public IEnumerable<(IdentifierType Type, string Value, string Property)> Identifiers
    {
        get
        {
            if (HwAddress is { } mac)
            {
                yield return (IdentifierType.HwAddress, mac, nameof(HwAddress));
            }

            if (Duid is { } duid)
            {
                yield return (IdentifierType.Duid, duid, nameof(Duid));
            }

            if (CircuitId is { } circuitId)
            {
                yield return (IdentifierType.CircuitId, circuitId, nameof(CircuitId));
            }

            if (ClientId is { } clientId)
            {
                yield return (IdentifierType.ClientId, clientId, nameof(ClientId));
            }

            if (FlexId is { } flexId)
            {
                yield return (IdentifierType.FlexId, flexId, nameof(FlexId));
            }
        }
    }

    /// <summary>The first identifier in Kea's lookup order, or null; without <see cref="Identifiers"/>' enumerator, as 100,000 reservations ask for it.</summary>
    public (IdentifierType Type, string Value)? FirstIdentifier =>
        HwAddress is { } mac ? (IdentifierType.HwAddress, mac)
        : Duid is { } duid ? (IdentifierType.Duid, duid)
        : CircuitId is { } circuitId ? (IdentifierType.CircuitId, circuitId)
        : ClientId is { } clientId ? (IdentifierType.ClientId, clientId)
        : FlexId is { } flexId ? (IdentifierType.FlexId, flexId)
        : null;

    /// <summary>Who the reservation is for, as Kea reads it (its first identifier in Kea's lookup order); null when it names no valid identifier.</summary>
    public ReservationIdentity? Identity => FirstIdentifier is { } first ? ReservationIdentity.Parse(first.Type, first.Value) : null;
}

/// <summary>
/// One entry of an option-data mapping: <c>routers: 192.168.1.1</c>, <c>domain-name-servers: [a, b]</c>,
/// or the long form <c>{ data: …, code: …, always-send: true }</c>.
/// The long form may also hold Kea's other option-data keys (<c>comment</c>, <c>user-context</c>, Kea 3.0's
/// <c>client-classes</c>), checked against Kea's key table like every Kea key.
/// </summary>
[KeaScope("Dhcp4", "option-data")]
public sealed class OptionValue : ModelObject
{
    public string Name { get; set; } = string.Empty;

    /// <summary>The values as written (scalars as text): the short form's value or the long form's data.</summary>
    [Key("data")] public List<Located<string>> Values { get; set; } = [];

    /// <summary>True when the values were written as a YAML list.</summary>
    public bool IsList { get; set; }

    [Key("code")] public long? Code { get; set; }
    [Key("space")] public string? Space { get; set; }
    [Key("csv-format")] public bool? CsvFormat { get; set; }
    [Key("always-send")] public bool? AlwaysSend { get; set; }
    [Key("never-send")] public bool? NeverSend { get; set; }
}

/// <summary>
/// One option definition (Kea's global <c>option-def</c>): what an option outside Kea's standard list is
/// called, its code, space and type, so that option-data naming it is checked and escaped by that type.
/// Kea's other option-def keys (<c>comment</c>, <c>user-context</c>) are taken as written.
/// </summary>
[KeaScope("Dhcp4", "option-def")]
public sealed class OptionDef : ModelObject
{
    [Key("name")] public string Name { get; set; } = string.Empty;
    [Key("code")] public long? Code { get; set; }
    [Key("type")] public string Type { get; set; } = string.Empty;
    [Key("space")] public string? Space { get; set; }
    [Key("array")] public bool? Array { get; set; }
    [Key("record-types")] public string? RecordTypes { get; set; }
    [Key("encapsulate")] public string? Encapsulate { get; set; }
}

/// <summary>
/// The parameters of the lease_cmds hook library, which keagitops loads itself (HA needs it). Kea 3.0's
/// lease_cmds reads <c>binding-variables</c> and nothing else; 2.2's and 2.6's read no parameters at all.
/// </summary>
public sealed class LeaseCommands : ModelObject
{
    [Key("binding-variables")] public List<BindingVariable> BindingVariables { get; set; } = [];
}

/// <summary>One of lease_cmds' binding variables (Kea 3.0): an expression evaluated on each query or response, stored in the lease's user-context.</summary>
public sealed class BindingVariable : ModelObject
{
    [Key("name")] public string Name { get; set; } = string.Empty;
    [Key("expression")] public string Expression { get; set; } = string.Empty;
    [Key("source")] public string Source { get; set; } = string.Empty;
}
