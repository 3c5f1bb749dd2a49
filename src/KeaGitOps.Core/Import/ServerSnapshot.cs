using KeaGitOps.Core.Addressing;

namespace KeaGitOps.Core.Import;

/// <summary>A key of the inventory (dotted for nested keys: high-availability.mode, option-data.routers) and its value.</summary>
public sealed record Setting(string Key, YamlValue Value);

/// <summary>One HA peer as a server's config lists it.</summary>
public sealed record ImportedPeer(string Name, string? Url, string? Host, long? Port, string? Role, bool? AutoFailover);

/// <summary>
/// One reservation: who it is for, its address (null for one that gives a hostname, options or classes only),
/// and the inventory fields to write (the identifier in its normal form).
/// </summary>
public sealed record ImportedReservation(ReservationIdentity Identity, string? Address, IReadOnlyList<Setting> Fields)
{
    /// <summary>The hostname, when the reservation has one.</summary>
    public string? Hostname => (Fields.FirstOrDefault(f => f.Key == "hostname")?.Value as YamlString)?.Value;

    public string Describe() => (Hostname is { } hostname ? $"{Identity.Value} ({hostname})" : Identity.Value) + (Address is null ? " (no address)" : $" → {Address}");

    public YamlValue ToValue() => new YamlMap(Fields.Select(f => KeyValuePair.Create(f.Key, f.Value)).ToList());
}

/// <summary>
/// How a config's syntax settled its Kea version when it did not settle it alone: evidence no one version
/// reads (<paramref name="Contradictory"/>, a finding) or a choice between the versions that fit (an assumption).
/// </summary>
public sealed record KeaVersionReading(string Message, bool Contradictory);

/// <param name="Network">the name of the shared network the subnet is in, or null for a subnet of Dhcp4.subnet4.</param>
public sealed record ImportedSubnet(long Id, IReadOnlyList<Setting> Settings, IReadOnlyList<ImportedReservation> Reservations, string? Network = null);

/// <summary>One shared network: its name and its own settings (its subnets are <see cref="ServerSnapshot.Subnets"/> naming it).</summary>
public sealed record ImportedSharedNetwork(string Name, IReadOnlyList<Setting> Settings);

/// <summary>What one server's kea-dhcp4.conf says, in inventory terms, plus what could not be said that way.</summary>
public sealed class ServerSnapshot
{
    /// <summary>The name the user gave on the command line (--from NAME=PATH): the server's real identity.</summary>
    public required string Name { get; init; }

    public string? ThisServerName { get; set; }

    /// <summary>The IPv4 addresses the live server has (read over SSH), or null for a config read from a file.</summary>
    public IReadOnlySet<string>? AssignedAddresses { get; set; }

    /// <summary>Whether the server's kea-ctrl-agent.conf was read too.</summary>
    public bool HasAgentConfig { get; init; }

    public List<ImportedPeer> Peers { get; } = [];

    public List<string> Interfaces { get; } = [];

    /// <summary>Site-wide settings, in the order they are written.</summary>
    public List<Setting> Settings { get; } = [];

    /// <summary>Every subnet, those of shared networks too (each names its network).</summary>
    public List<ImportedSubnet> Subnets { get; } = [];

    public List<ImportedSharedNetwork> SharedNetworks { get; } = [];

    /// <summary>Null when the config's syntax names one Kea version and nothing contradicts it.</summary>
    public KeaVersionReading? KeaVersionReading { get; set; }

    /// <summary>Everything not carried over as it was: not imported, or rendered differently; by JSON path, each with why.</summary>
    public List<ImportNote> Notes { get; } = [];
}
