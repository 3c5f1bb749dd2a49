namespace KeaGitOps.Core.Import;

/// <summary>A key of the inventory (dotted for nested keys: high-availability.mode, option-data.routers) and its value.</summary>
public sealed record Setting(string Key, YamlValue Value);

/// <summary>One HA peer as a server's config lists it.</summary>
public sealed record ImportedPeer(string Name, string? Url, string? Host, long? Port, string? Role, bool? AutoFailover);

/// <summary>One reservation: its identifier (kind and normalised value), its address, and the inventory fields to write.</summary>
public sealed record ImportedReservation(string IdentifierKind, string Identifier, string Address, IReadOnlyList<Setting> Fields)
{
    public string Key => $"{IdentifierKind} {Identifier}";

    public string Describe()
    {
        var hostname = Fields.FirstOrDefault(f => f.Key == "hostname")?.Value;
        return hostname is null ? $"{Identifier} → {Address}" : $"{Identifier} ({hostname.ToYaml().Trim('"')}) → {Address}";
    }

    public YamlValue ToValue() => new YamlMap(Fields.Select(f => KeyValuePair.Create(f.Key, f.Value)).ToList());
}

/// <summary>
/// How a config's syntax settled its Kea version when it did not settle it alone: evidence no one version
/// reads (<paramref name="Contradictory"/>, a finding) or a choice between the versions that fit (an assumption).
/// </summary>
public sealed record KeaVersionReading(string Message, bool Contradictory);

public sealed record ImportedSubnet(long Id, IReadOnlyList<Setting> Settings, IReadOnlyList<ImportedReservation> Reservations);

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

    public List<ImportedSubnet> Subnets { get; } = [];

    /// <summary>Null when the config's syntax names one Kea version and nothing contradicts it.</summary>
    public KeaVersionReading? KeaVersionReading { get; set; }

    /// <summary>JSON paths of everything the inventory cannot express, each with why.</summary>
    public List<string> NotImported { get; } = [];

    /// <summary>What keagitops will render differently from this config (layout it imposes), by JSON path.</summary>
    public List<string> Notes { get; } = [];
}
