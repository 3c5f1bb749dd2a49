using KeaGitOps.Core.Addressing;

namespace KeaGitOps.Core.Import;

public enum FindingCategory
{
    Identity,
    ReservationOnOneServer,
    IdentifierWithDifferentAddresses,
    AddressForDifferentIdentifiers,
    DifferentSettings,
    KeaVersion,
}

/// <summary>One disagreement between the servers (or with a server's own identity), and what the import did about it.</summary>
public sealed record ImportFinding(FindingCategory Category, string Message);

/// <summary>A line of the written inventory with an optional <c># import: …</c> comment.</summary>
public sealed record Commented<T>(T Value, string? Comment);

/// <param name="AgentHost">the address this server's Control Agent listens on, when the servers' agents listen on different ones (a per-server fact).</param>
/// <param name="Own">settings that are this server's own (dotted keys as in <see cref="ImportPlan.Settings"/>), written under servers[].</param>
public sealed record MergedServer(string Name, string? Address, string? Role, IReadOnlyList<string> Interfaces, string? Comment, string? AgentHost = null, IReadOnlyList<Setting>? Own = null);

/// <param name="LeftOut">reservations not kept because the preferred server gives their address to another client; written as comments beside the kept one.</param>
/// <param name="Network">the shared network the subnet is in (the preferred server's say), or null.</param>
public sealed record MergedSubnet(long Id, IReadOnlyList<Commented<Setting>> Settings, IReadOnlyList<Commented<ImportedReservation>> Reservations, IReadOnlyList<Commented<ImportedReservation>> LeftOut, string? Comment, string? Network = null);

/// <summary>A shared network with its settings as reconciled; its subnets are the <see cref="MergedSubnet"/>s naming it.</summary>
public sealed record MergedSharedNetwork(string Name, IReadOnlyList<Commented<Setting>> Settings, string? Comment);

/// <summary>The reconciled inventory of all servers, with every conflict found and how it was decided.</summary>
public sealed record ImportPlan(
    string Preferred,
    IReadOnlyList<string> ServerNames,
    IReadOnlyList<MergedServer> Servers,
    IReadOnlyList<Commented<Setting>> Settings,
    IReadOnlyList<MergedSubnet> Subnets,
    IReadOnlyList<MergedSharedNetwork> SharedNetworks,
    IReadOnlyList<ImportFinding> Findings,
    IReadOnlyDictionary<string, IReadOnlyList<ImportNote>> NotImported,
    IReadOnlyDictionary<string, IReadOnlyList<ImportNote>> RenderedDifferently,
    IReadOnlyList<string> Assumed)
{
    public bool HasConflicts => Findings.Count > 0;
}

/// <summary>
/// Reconciles the servers' snapshots: what they agree on is kept; for every conflict the preferred
/// server's version wins and the entry is marked. A reservation or subnet that only one server has is
/// kept (it contradicts nothing) but marked, unless it takes an address the preferred server gives
/// another client.
/// </summary>
public static class ImportReconciler
{
    public static ImportPlan Reconcile(IReadOnlyList<ServerSnapshot> servers, string preferred)
    {
        var prefer = servers.First(s => s.Name == preferred);
        var others = servers.Where(s => !ReferenceEquals(s, prefer)).ToList();
        var findings = new List<ImportFinding>();

        var merged = MergeServers(servers, prefer, others, findings);
        var assumed = new List<string>();
        foreach (var server in servers)
        {
            if (server.KeaVersionReading is { } reading)
            {
                if (reading.Contradictory)
                {
                    findings.Add(new ImportFinding(FindingCategory.KeaVersion, $"{server.Name}: {reading.Message}"));
                }
                else
                {
                    assumed.Add($"{server.Name}: {reading.Message}");
                }
            }
        }

        var agentHosts = AgentHosts(servers);
        if (agentHosts is not null)
        {
            merged = merged.Select(m => m with { AgentHost = agentHosts[m.Name] }).ToList();
        }

        var own = OwnSettings(servers, merged);
        merged = merged.Select(m => m with { Own = [.. own.Select(key => servers.First(s => s.Name == m.Name).Settings.First(x => x.Key == key))] }).ToList();
        var settings = MergeSettings(servers, prefer, s => s.Settings, string.Empty, findings, perServer: [.. own, .. agentHosts is null ? [] : new[] { AgentHostKey }]);
        var networks = new List<MergedSharedNetwork>();
        foreach (var name in servers.SelectMany(s => s.SharedNetworks.Select(n => n.Name)).Distinct())
        {
            networks.Add(MergeSharedNetwork(name, servers, prefer, findings));
        }

        var subnets = new List<MergedSubnet>();
        foreach (var id in servers.SelectMany(s => s.Subnets.Select(n => n.Id)).Distinct().Order())
        {
            subnets.Add(MergeSubnet(id, servers, prefer, findings));
        }

        return new ImportPlan(
            prefer.Name,
            servers.Select(s => s.Name).ToList(),
            merged,
            settings,
            subnets,
            networks,
            findings,
            servers.ToDictionary(s => s.Name, s => (IReadOnlyList<ImportNote>)Of(s, NoteKind.NotImported)),
            servers.ToDictionary(s => s.Name, s => (IReadOnlyList<ImportNote>)Of(s, NoteKind.RenderedDifferently)),
            assumed);
    }

    private static List<ImportNote> Of(ServerSnapshot server, NoteKind kind) => server.Notes.Where(n => n.Kind == kind).ToList();

    private static List<MergedServer> MergeServers(IReadOnlyList<ServerSnapshot> servers, ServerSnapshot prefer, List<ServerSnapshot> others, List<ImportFinding> findings)
    {
        var comments = servers.ToDictionary(s => s.Name, _ => new List<string>());
        foreach (var server in servers)
        {
            if (server.ThisServerName is null)
            {
                Add(FindingCategory.Identity, $"{server.Name}: no this-server-name (no HA configuration found)", server.Name);
            }
            else if (server.ThisServerName != server.Name)
            {
                Add(FindingCategory.Identity, $"{server.Name}: its config names itself \"{server.ThisServerName}\" (this-server-name), not {server.Name}; keagitops derives this-server-name from the server's name", server.Name);
            }

            if (server.Peers.Count > 0 && !server.Peers.Exists(p => p.Name == server.Name))
            {
                Add(FindingCategory.Identity, $"{server.Name}: its HA peers list has no peer named {server.Name}", server.Name);
            }
        }

        foreach (var name in servers.SelectMany(s => s.Peers.Select(p => p.Name)).Distinct())
        {
            var views = servers.Select(s => (Server: s.Name, Peer: s.Peers.Find(p => p.Name == name))).Where(v => v.Peer is not null).ToList();
            foreach (var (what, value) in new (string, Func<ImportedPeer, string?>)[] { ("URL host", p => p.Host), ("port", p => p.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("role", p => p.Role) })
            {
                if (views.Select(v => value(v.Peer!)).Distinct().Count() > 1)
                {
                    Add(FindingCategory.Identity,
                        $"peer {name}: the servers disagree on its {what}: {string.Join(", ", views.Select(v => $"{v.Server} says {value(v.Peer!) ?? "(none)"}"))}; {prefer.Name}'s is kept",
                        name);
                }
            }
        }

        // A live server's own addresses settle which URL host is really its address: the user's incident
        // was a config whose own HA address was not on the host.
        var addresses = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var server in servers)
        {
            var views = new[] { prefer }.Concat(others).Select(s => (From: s.Name, Host: s.Peers.Find(p => p.Name == server.Name)?.Host)).Where(v => v.Host is not null).ToList();
            var chosen = views.Count > 0 ? views[0].Host : null;
            if (server.AssignedAddresses is { } assigned && chosen is not null && !assigned.Contains(chosen))
            {
                var onHost = views.Select(v => v.Host).FirstOrDefault(h => assigned.Contains(h!));
                var has = string.Join(", ", assigned.Where(a => !a.StartsWith("127.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
                Add(FindingCategory.Identity,
                    onHost is null
                        ? $"{server.Name}: its HA address {chosen} (from its peer URL) is not assigned on the server (it has {has}); its HA listener could not bind it: set servers[].address"
                        : $"{server.Name}: its HA address {chosen} (from {views[0].From}'s peer URL) is not assigned on the server (it has {has}); {onHost}, which is, is kept",
                    server.Name);
                chosen = onHost ?? chosen;
            }

            addresses[server.Name] = chosen;
        }

        return servers.Select(server =>
        {
            var peer = prefer.Peers.Find(p => p.Name == server.Name) ?? others.Select(o => o.Peers.Find(p => p.Name == server.Name)).FirstOrDefault(p => p is not null);
            var comment = comments.TryGetValue(server.Name, out var list) && list.Count > 0 ? "conflict: " + string.Join("; ", list) : null;
            return new MergedServer(server.Name, addresses[server.Name], peer?.Role, server.Interfaces, comment);
        }).ToList();

        void Add(FindingCategory category, string message, string server)
        {
            findings.Add(new ImportFinding(category, message));
            if (comments.TryGetValue(server, out var list))
            {
                list.Add(message);
            }
        }
    }

    private const string AgentHostKey = "control-agent.host";

    /// <summary>
    /// Each server's Control Agent address, when the agents listen on different addresses: an agent binds
    /// its own server's address, so this is a per-server fact, never a conflict to decide for one server
    /// (keeping one would make the other's agent unable to start). Null when they agree.
    /// </summary>
    private static Dictionary<string, string?>? AgentHosts(IReadOnlyList<ServerSnapshot> servers)
    {
        var hosts = servers.ToDictionary(s => s.Name, s => s.Settings.FirstOrDefault(x => x.Key == AgentHostKey)?.Value is YamlString host ? host.Value : null);
        return hosts.Values.Distinct().Count() > 1 && hosts.Values.All(h => h is not null) ? hosts : null;
    }

    /// <summary>Sections of the site settings that are never one server's own: keagitops's own, or what the pair must agree on.</summary>
    private static readonly HashSet<string> PairSections = new(StringComparer.Ordinal) { "kea", "logging", "control-agent", "lease-database", "multi-threading" };

    /// <summary>
    /// Site settings whose values differ between the servers because each is the server's own, written per server
    /// instead of decided as a conflict: every server has one, and each value names its own server (address or
    /// name) and no other (dhcp-ddns.sender-ip, server-tag), or it is an HA TLS file of the server's (cert-file, key-file). Keys the pair
    /// must agree on (Validation.Rules.KeaSettingsRules.PairOnlyDhcp4Keys) stay conflicts.
    /// </summary>
    private static List<string> OwnSettings(IReadOnlyList<ServerSnapshot> servers, List<MergedServer> merged)
    {
        if (servers.Count < 2)
        {
            return [];
        }

        // What names each server: its address and its name.
        var names = merged.ToDictionary(m => m.Name, m => (IReadOnlyList<string>)[m.Name, .. m.Address is null ? [] : new[] { m.Address }]);
        var own = new List<string>();
        foreach (var key in servers[0].Settings.Select(s => s.Key).Distinct())
        {
            var section = key.Contains('.', StringComparison.Ordinal) ? key[..key.IndexOf('.', StringComparison.Ordinal)] : key;
            var values = servers.Select(s => (s.Name, Value: s.Settings.FirstOrDefault(x => x.Key == key)?.Value)).ToList();
            if (values.Exists(v => v.Value is null) || values.Select(v => v.Value).Distinct().Count() < servers.Count
                || PairSections.Contains(section) || Validation.Rules.KeaSettingsRules.PairOnlyDhcp4Keys.ContainsKey(section))
            {
                continue;
            }

            var tls = section == "high-availability" && Validation.Rules.KeaSettingsRules.PerServerHaKeys.Contains(key[(section.Length + 1)..]);
            var bound = section != "high-availability" && values.TrueForAll(v => names[v.Name].Any(n => Mentions(v.Value!, n))
                && names.Where(other => other.Key != v.Name).SelectMany(other => other.Value).All(n => !Mentions(v.Value!, n)));
            if (tls || bound)
            {
                own.Add(key);
            }
        }

        return own;
    }

    /// <summary>Whether a value holds a name or address as a whole word (192.168.1.13 is not in 192.168.1.133, kea-1 not in kea-10).</summary>
    private static bool Mentions(YamlValue value, string word) =>
        System.Text.RegularExpressions.Regex.IsMatch(value.ToYaml(), $@"(?<![0-9A-Za-z._-]){System.Text.RegularExpressions.Regex.Escape(word)}(?![0-9A-Za-z_-])");

    /// <summary>
    /// Settings by key (<paramref name="of"/>: a server's settings of the thing merged; <paramref name="where"/> names it in findings):
    /// the preferred server's value wins; every difference is a finding. Keys in <paramref name="perServer"/> are written per server instead.
    /// </summary>
    private static List<Commented<Setting>> MergeSettings(IReadOnlyList<ServerSnapshot> servers, ServerSnapshot prefer, Func<ServerSnapshot, IReadOnlyList<Setting>> of, string where, List<ImportFinding> findings, IReadOnlyCollection<string>? perServer = null)
    {
        var keys = servers.SelectMany(s => of(s).Select(x => x.Key)).Distinct().Where(k => perServer is null || !perServer.Contains(k)).ToList();
        var result = new List<Commented<Setting>>();
        foreach (var key in keys)
        {
            var values = servers.Select(s => (s.Name, Value: of(s).FirstOrDefault(x => x.Key == key)?.Value)).ToList();
            var mine = values.First(v => v.Name == prefer.Name).Value;
            var differ = values.Any(v => !Equals(v.Value, mine));
            string? comment = null;
            if (differ)
            {
                var described = string.Join(", ", values.Select(v => $"{v.Name} has {v.Value?.ToYaml() ?? "nothing"}"));
                var decision = mine is null ? $"left out (as on {prefer.Name})" : $"{prefer.Name}'s kept";
                comment = $"conflict: {described}; {decision}";
                findings.Add(new ImportFinding(FindingCategory.DifferentSettings, $"{where}{key}: {described}; {decision}"));
            }

            if (mine is not null)
            {
                result.Add(new Commented<Setting>(new Setting(key, mine), comment));
            }
        }

        return result;
    }

    private static MergedSubnet MergeSubnet(long id, IReadOnlyList<ServerSnapshot> servers, ServerSnapshot prefer, List<ImportFinding> findings)
    {
        var holders = servers.Where(s => s.Subnets.Exists(n => n.Id == id)).ToList();
        string? subnetComment = null;
        var basis = holders.Contains(prefer) ? prefer : holders[0];
        if (holders.Count < servers.Count)
        {
            subnetComment = $"conflict: subnet {id} is only on {string.Join(", ", holders.Select(h => h.Name))}; kept";
            findings.Add(new ImportFinding(FindingCategory.DifferentSettings, $"subnet {id}: only on {string.Join(", ", holders.Select(h => h.Name))}; kept"));
        }

        var settings = MergeSettings(holders, basis, s => s.Subnets.Find(n => n.Id == id)?.Settings ?? [], $"subnet {id}: ", findings);
        var (reservations, leftOut) = MergeReservations(id, holders, basis, servers.Count, findings);
        var network = basis.Subnets.Find(n => n.Id == id)!.Network;
        var placed = holders.Select(h => (h.Name, h.Subnets.Find(n => n.Id == id)!.Network)).ToList();
        if (placed.Select(p => p.Network).Distinct().Count() > 1)
        {
            var described = string.Join(", ", placed.Select(p => $"{p.Name} has it {(p.Network is null ? "in no shared network" : $"in shared network {p.Network}")}"));
            var message = $"{described}; {basis.Name}'s kept";
            subnetComment = subnetComment is null ? $"conflict: {message}" : $"{subnetComment}; {message}";
            findings.Add(new ImportFinding(FindingCategory.DifferentSettings, $"subnet {id}: {message}"));
        }

        return new MergedSubnet(id, settings, reservations, leftOut, subnetComment, network);
    }

    private static MergedSharedNetwork MergeSharedNetwork(string name, IReadOnlyList<ServerSnapshot> servers, ServerSnapshot prefer, List<ImportFinding> findings)
    {
        var holders = servers.Where(s => s.SharedNetworks.Exists(n => n.Name == name)).ToList();
        string? comment = null;
        if (holders.Count < servers.Count)
        {
            comment = $"conflict: shared network {name} is only on {string.Join(", ", holders.Select(h => h.Name))}; kept";
            findings.Add(new ImportFinding(FindingCategory.DifferentSettings, $"shared network {name}: only on {string.Join(", ", holders.Select(h => h.Name))}; kept"));
        }

        var basis = holders.Contains(prefer) ? prefer : holders[0];
        var settings = MergeSettings(holders, basis, s => s.SharedNetworks.Find(n => n.Name == name)?.Settings ?? [], $"shared network {name}: ", findings);
        return new MergedSharedNetwork(name, settings, comment);
    }

    private static (List<Commented<ImportedReservation>> Kept, List<Commented<ImportedReservation>> LeftOut) MergeReservations(long id, List<ServerSnapshot> servers, ServerSnapshot prefer, int serverCount, List<ImportFinding> findings)
    {
        var perServer = servers.ToDictionary(s => s.Name, s => s.Subnets.Find(n => n.Id == id)!.Reservations);

        // Each server's reservations by identity, built once (the first of one identity wins): a subnet may hold thousands.
        var byIdentity = perServer.ToDictionary(p => p.Key, p =>
        {
            var index = new Dictionary<ReservationIdentity, ImportedReservation>();
            foreach (var reservation in p.Value)
            {
                index.TryAdd(reservation.Identity, reservation);
            }

            return index;
        });
        var keys = perServer.Values.SelectMany(r => r.Select(x => x.Identity)).Distinct().ToList();
        var merged = new List<(ImportedReservation Reservation, List<string> Comments)>();
        foreach (var key in keys)
        {
            var versions = byIdentity.Select(p => (Server: p.Key, Reservation: p.Value.GetValueOrDefault(key))).Where(v => v.Reservation is not null).ToList();
            var chosen = versions.FirstOrDefault(v => v.Server == prefer.Name);
            if (chosen.Reservation is null)
            {
                chosen = versions[0];
            }

            var comments = new List<string>();
            var reservation = chosen.Reservation!;
            if (versions.Count < serverCount)
            {
                var message = $"{reservation.Describe()} is only on {string.Join(", ", versions.Select(v => v.Server))}";
                comments.Add($"only on {string.Join(", ", versions.Select(v => v.Server))}");
                findings.Add(new ImportFinding(FindingCategory.ReservationOnOneServer, $"subnet {id}: {message}"));
            }

            if (versions.Select(v => v.Reservation!.Address).Distinct().Count() > 1)
            {
                var described = string.Join(", ", versions.Select(v => $"{v.Server} gives {v.Reservation!.Address ?? "no address"}"));
                comments.Add($"{described}; {chosen.Server}'s kept");
                findings.Add(new ImportFinding(FindingCategory.IdentifierWithDifferentAddresses, $"subnet {id}: {reservation.Identity.KeaName} {reservation.Identity.Value}: {described}; {chosen.Server}'s kept"));
            }
            else if (versions.Select(v => v.Reservation!.ToValue()).Distinct().Count() > 1)
            {
                var described = string.Join(", ", versions.Select(v => $"{v.Server} has {v.Reservation!.ToValue().ToYaml()}"));
                comments.Add($"details differ: {described}; {chosen.Server}'s kept");
                findings.Add(new ImportFinding(FindingCategory.DifferentSettings, $"subnet {id}: {reservation.Identity.KeaName} {reservation.Identity.Value}: {described}; {chosen.Server}'s kept"));
            }

            merged.Add((reservation, comments));
        }

        // One address, several clients: across all servers' lists, not just the merged one.
        var all = perServer.SelectMany(p => p.Value.Select(r => (Server: p.Key, Reservation: r))).ToList();
        var dropped = new HashSet<ReservationIdentity>();
        foreach (var group in all.Where(x => x.Reservation.Address is not null).GroupBy(x => x.Reservation.Address).Where(g => g.Select(x => x.Reservation.Identity).Distinct().Count() > 1))
        {
            var claims = string.Join(", ", group.GroupBy(x => x.Reservation.Identity).Select(k => $"{k.Key.Value}{Hostname(k.First().Reservation)} on {string.Join(" and ", k.Select(x => x.Server))}"));
            var preferredKeys = group.Where(x => x.Server == prefer.Name).Select(x => x.Reservation.Identity).ToHashSet();
            var decision = preferredKeys.Count switch
            {
                0 => $"{prefer.Name} reserves it for no one: all kept, fix by hand (the inventory will not validate)",
                1 => $"{prefer.Name}'s kept, the others left out",
                _ => $"{prefer.Name} itself reserves it twice: all kept, fix by hand (the inventory will not validate)",
            };
            if (preferredKeys.Count == 1)
            {
                foreach (var key in group.Select(x => x.Reservation.Identity).Where(k => !preferredKeys.Contains(k)))
                {
                    dropped.Add(key);
                }
            }

            findings.Add(new ImportFinding(FindingCategory.AddressForDifferentIdentifiers, $"subnet {id}: {group.Key} is reserved for {claims}; {decision}"));
            foreach (var entry in merged.Where(m => m.Reservation.Address == group.Key && !dropped.Contains(m.Reservation.Identity)))
            {
                entry.Comments.Add($"{group.Key} is also reserved for {string.Join(", ", group.Select(x => x.Reservation).Where(r => r.Identity != entry.Reservation.Identity).Select(r => r.Identity.Value + Hostname(r)).Distinct())}; {decision}");
            }
        }

        var ordered = merged
            .OrderBy(m => Ipv4Address.TryParse(m.Reservation.Address, out var a) ? a.Value : uint.MaxValue)
            .ThenBy(m => m.Reservation.Identity.ToString(), StringComparer.Ordinal)
            .ToList();
        return (
            ordered.Where(m => !dropped.Contains(m.Reservation.Identity))
                .Select(m => new Commented<ImportedReservation>(m.Reservation, m.Comments.Count == 0 ? null : "conflict: " + string.Join("; ", m.Comments)))
                .ToList(),
            ordered.Where(m => dropped.Contains(m.Reservation.Identity))
                .Select(m => new Commented<ImportedReservation>(m.Reservation, $"{prefer.Name} gives {m.Reservation.Address} to another client" + (m.Comments.Count == 0 ? string.Empty : "; " + string.Join("; ", m.Comments))))
                .ToList());
    }

    private static string Hostname(ImportedReservation reservation) =>
        reservation.Hostname is { } hostname ? $" ({hostname})" : string.Empty;
}
