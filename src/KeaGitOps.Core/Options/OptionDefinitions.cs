namespace KeaGitOps.Core.Options;

/// <summary>Kea's option data types (option_data_types.cc), named in option-def's type and record-types as <see cref="OptionTypes.KeaName"/> says.</summary>
public enum OptionType
{
    Ipv4Address,
    Uint8,
    Uint16,
    Uint32,
    Int8,
    Int16,
    Int32,
    Boolean,
    String,
    Fqdn,
    Binary,
    Empty,
    Ipv6Address,
    Ipv6Prefix,
    Psid,
    Tuple,

    /// <summary>Kea's own convenience notations (DNR options): passed through to Kea unchecked.</summary>
    Internal,

    /// <summary>Several fields (<see cref="OptionDefinition.RecordTypes"/>); a standard record's fields are not listed here, so its values go to Kea unchecked.</summary>
    Record,
}

/// <param name="Space">the option space (dhcp4 for the standard options).</param>
/// <param name="RecordTypes">a record's field types in order (the last one repeats when <paramref name="IsArray"/>); empty when unknown or not a record.</param>
/// <param name="Encapsulate">the option space whose options this one carries, or null.</param>
public sealed record OptionDefinition(int Code, string Name, OptionType Type, bool IsArray)
{
    public string Space { get; init; } = OptionDefinitions.Dhcp4Space;

    public IReadOnlyList<OptionType> RecordTypes { get; init; } = [];

    public string? Encapsulate { get; init; }

    /// <summary>Whether the option carries several values (Kea's csv pieces): an array or a record.</summary>
    public bool TakesSeveralValues => IsArray || Type == OptionType.Record;
}

/// <summary>Kea's names of the option data types.</summary>
public static class OptionTypes
{
    private static readonly Dictionary<string, OptionType> ByName = new(StringComparer.Ordinal)
    {
        ["empty"] = OptionType.Empty,
        ["binary"] = OptionType.Binary,
        ["boolean"] = OptionType.Boolean,
        ["int8"] = OptionType.Int8,
        ["int16"] = OptionType.Int16,
        ["int32"] = OptionType.Int32,
        ["uint8"] = OptionType.Uint8,
        ["uint16"] = OptionType.Uint16,
        ["uint32"] = OptionType.Uint32,
        ["ipv4-address"] = OptionType.Ipv4Address,
        ["ipv6-address"] = OptionType.Ipv6Address,
        ["ipv6-prefix"] = OptionType.Ipv6Prefix,
        ["psid"] = OptionType.Psid,
        ["string"] = OptionType.String,
        ["tuple"] = OptionType.Tuple,
        ["fqdn"] = OptionType.Fqdn,
        ["internal"] = OptionType.Internal,
        ["record"] = OptionType.Record,
    };

    public static IEnumerable<string> Names => ByName.Keys;

    public static OptionType? Parse(string name) => ByName.TryGetValue(name, out var type) ? type : null;

    public static string KeaName(OptionType type) => ByName.First(p => p.Value == type).Key;
}

/// <summary>
/// Kea's standard DHCPv4 option definitions (name, code, type, array), as in Kea's std_option_defs.h
/// and the ARM's "List of standard DHCPv4 options" (every option Kea's own all-options.json example
/// configures is here, including the few the server normally sets itself but Kea lets a config set, such
/// as dhcp-server-identifier). Options a client sends or the server computes for each message (requested
/// address, lease time, message type, parameter request list, renewal and rebinding times, client
/// identifier, client FQDN, relay agent information) are left out: configuring them is a mistake.
/// </summary>
public static class OptionDefinitions
{
    public const string Dhcp4Space = "dhcp4";

    private static readonly OptionDefinition[] All =
    [
        new(1, "subnet-mask", OptionType.Ipv4Address, false),
        new(2, "time-offset", OptionType.Int32, false),
        new(3, "routers", OptionType.Ipv4Address, true),
        new(4, "time-servers", OptionType.Ipv4Address, true),
        new(5, "name-servers", OptionType.Ipv4Address, true),
        new(6, "domain-name-servers", OptionType.Ipv4Address, true),
        new(7, "log-servers", OptionType.Ipv4Address, true),
        new(8, "cookie-servers", OptionType.Ipv4Address, true),
        new(9, "lpr-servers", OptionType.Ipv4Address, true),
        new(10, "impress-servers", OptionType.Ipv4Address, true),
        new(11, "resource-location-servers", OptionType.Ipv4Address, true),
        new(12, "host-name", OptionType.String, false),
        new(13, "boot-size", OptionType.Uint16, false),
        new(14, "merit-dump", OptionType.String, false),
        new(15, "domain-name", OptionType.Fqdn, false),
        new(16, "swap-server", OptionType.Ipv4Address, false),
        new(17, "root-path", OptionType.String, false),
        new(18, "extensions-path", OptionType.String, false),
        new(19, "ip-forwarding", OptionType.Boolean, false),
        new(20, "non-local-source-routing", OptionType.Boolean, false),
        new(21, "policy-filter", OptionType.Ipv4Address, true),
        new(22, "max-dgram-reassembly", OptionType.Uint16, false),
        new(23, "default-ip-ttl", OptionType.Uint8, false),
        new(24, "path-mtu-aging-timeout", OptionType.Uint32, false),
        new(25, "path-mtu-plateau-table", OptionType.Uint16, true),
        new(26, "interface-mtu", OptionType.Uint16, false),
        new(27, "all-subnets-local", OptionType.Boolean, false),
        new(28, "broadcast-address", OptionType.Ipv4Address, false),
        new(29, "perform-mask-discovery", OptionType.Boolean, false),
        new(30, "mask-supplier", OptionType.Boolean, false),
        new(31, "router-discovery", OptionType.Boolean, false),
        new(32, "router-solicitation-address", OptionType.Ipv4Address, false),
        new(33, "static-routes", OptionType.Ipv4Address, true),
        new(34, "trailer-encapsulation", OptionType.Boolean, false),
        new(35, "arp-cache-timeout", OptionType.Uint32, false),
        new(36, "ieee802-3-encapsulation", OptionType.Boolean, false),
        new(37, "default-tcp-ttl", OptionType.Uint8, false),
        new(38, "tcp-keepalive-interval", OptionType.Uint32, false),
        new(39, "tcp-keepalive-garbage", OptionType.Boolean, false),
        new(40, "nis-domain", OptionType.String, false),
        new(41, "nis-servers", OptionType.Ipv4Address, true),
        new(42, "ntp-servers", OptionType.Ipv4Address, true),
        new(43, "vendor-encapsulated-options", OptionType.Record, false),
        new(44, "netbios-name-servers", OptionType.Ipv4Address, true),
        new(45, "netbios-dd-server", OptionType.Ipv4Address, true),
        new(46, "netbios-node-type", OptionType.Uint8, false),
        new(47, "netbios-scope", OptionType.String, false),
        new(48, "font-servers", OptionType.Ipv4Address, true),
        new(49, "x-display-manager", OptionType.Ipv4Address, true),
        new(52, "dhcp-option-overload", OptionType.Uint8, false),
        new(54, "dhcp-server-identifier", OptionType.Ipv4Address, false),
        new(56, "dhcp-message", OptionType.String, false),
        new(57, "dhcp-max-message-size", OptionType.Uint16, false),
        new(60, "vendor-class-identifier", OptionType.String, false),
        new(62, "nwip-domain-name", OptionType.String, false),
        new(63, "nwip-suboptions", OptionType.Binary, false),
        new(64, "nisplus-domain-name", OptionType.String, false),
        new(65, "nisplus-servers", OptionType.Ipv4Address, true),
        new(66, "tftp-server-name", OptionType.String, false),
        new(67, "boot-file-name", OptionType.String, false),
        new(68, "mobile-ip-home-agent", OptionType.Ipv4Address, true),
        new(69, "smtp-server", OptionType.Ipv4Address, true),
        new(70, "pop-server", OptionType.Ipv4Address, true),
        new(71, "nntp-server", OptionType.Ipv4Address, true),
        new(72, "www-server", OptionType.Ipv4Address, true),
        new(73, "finger-server", OptionType.Ipv4Address, true),
        new(74, "irc-server", OptionType.Ipv4Address, true),
        new(75, "streettalk-server", OptionType.Ipv4Address, true),
        new(76, "streettalk-directory-assistance-server", OptionType.Ipv4Address, true),
        new(77, "user-class", OptionType.Binary, false),
        new(78, "slp-directory-agent", OptionType.Record, true),
        new(79, "slp-service-scope", OptionType.Record, false),
        new(85, "nds-servers", OptionType.Ipv4Address, true),
        new(86, "nds-tree-name", OptionType.String, false),
        new(87, "nds-context", OptionType.String, false),
        new(88, "bcms-controller-names", OptionType.Fqdn, true),
        new(89, "bcms-controller-address", OptionType.Ipv4Address, true),
        new(92, "associated-ip", OptionType.Ipv4Address, true),
        new(93, "client-system", OptionType.Uint16, true),
        new(94, "client-ndi", OptionType.Record, false),
        new(97, "uuid-guid", OptionType.Record, false),
        new(98, "uap-servers", OptionType.String, false),
        new(99, "geoconf-civic", OptionType.Binary, false),
        new(100, "pcode", OptionType.String, false),
        new(101, "tcode", OptionType.String, false),
        new(108, "v6-only-preferred", OptionType.Uint32, false),
        new(112, "netinfo-server-address", OptionType.Ipv4Address, true),
        new(113, "netinfo-server-tag", OptionType.String, false),
        new(114, "v4-captive-portal", OptionType.String, false),
        new(116, "auto-config", OptionType.Uint8, false),
        new(117, "name-service-search", OptionType.Uint16, true),
        new(118, "subnet-selection", OptionType.Ipv4Address, false),
        new(119, "domain-search", OptionType.Fqdn, true),
        new(124, "vivco-suboptions", OptionType.Record, false),
        new(125, "vivso-suboptions", OptionType.Uint32, false),
        new(136, "pana-agent", OptionType.Ipv4Address, true),
        new(137, "v4-lost", OptionType.Fqdn, false),
        new(138, "capwap-ac-v4", OptionType.Ipv4Address, true),
        new(141, "sip-ua-cs-domains", OptionType.Fqdn, true),
        new(146, "rdnss-selection", OptionType.Record, true),
        new(159, "v4-portparams", OptionType.Record, false),
        new(212, "option-6rd", OptionType.Record, true),
        new(213, "v4-access-domain", OptionType.Fqdn, false),
    ];

    private static readonly Dictionary<string, OptionDefinition> ByName = All.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public static OptionDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The standard option with this code, as Kea finds an option given by code alone.</summary>
    public static OptionDefinition? Find(long? code) => code is { } c ? Array.Find(All, d => d.Code == c) : null;

    public static IReadOnlyList<OptionDefinition> Standard => All;
}
