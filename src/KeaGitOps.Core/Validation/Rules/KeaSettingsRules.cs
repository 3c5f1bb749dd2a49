using System.Reflection;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Kea.Keys;

namespace KeaGitOps.Core.Validation.Rules;

/// <summary>
/// Kea's own keys written beside the typed ones (<see cref="ModelObject.KeaKeys"/>): each is checked
/// against Kea's key table for the inventory's version (unknown keys with "did you mean", wrong types),
/// and keys that keagitops derives, or that would carry a secret into git, are refused saying why. No
/// key reaches a rendered config unchecked.
/// </summary>
public sealed class KeaSettingsRules : IInventoryRule
{
    /// <summary>Kea keys the inventory never takes as written, by Kea scope, with where their value comes from.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> DerivedKeys = new(StringComparer.Ordinal)
    {
        ["Dhcp4"] = new(StringComparer.Ordinal)
        {
            ["subnet4"] = "subnets are written under 'subnets', where keagitops splits their pools between the servers and checks their reservations",
            ["control-sockets"] = "the control socket is written as 'control-socket' and rendered in the form the version takes",
        },
        ["Dhcp4.shared-networks"] = new(StringComparer.Ordinal)
        {
            ["subnet4"] = "a shared network's subnets are written under its 'subnets', where keagitops splits their pools between the servers and checks their reservations",
        },
        ["Dhcp4.option-data"] = new(StringComparer.Ordinal)
        {
            ["name"] = "an option's name is its key under option-data",
        },
        ["Dhcp4.subnet4.pools"] = new(StringComparer.Ordinal)
        {
            ["client-class"] = "a pool's classes are its client-classes list, rendered as Kea 2.x's client-class where the version needs it and combined with each server's HA scope in load-balancing",
        },
        ["Dhcp4.interfaces-config"] = new(StringComparer.Ordinal)
        {
            ["interfaces"] = "each server's interfaces are servers[].interfaces, since they differ between servers",
        },
        ["Dhcp4.user-context"] = new(StringComparer.Ordinal)
        {
            [KeaProvenance.Key] = "it is keagitops's provenance (the commit and digest each config was rendered from), written at each render",
        },
        ["high-availability"] = new(StringComparer.Ordinal)
        {
            ["this-server-name"] = "each server's config names itself from servers[].name when rendered",
            ["peers"] = "the HA peers are servers[] (name, address, role); their URLs come from servers[].address and high-availability.port",
        },
        ["high-availability.peers"] = new(StringComparer.Ordinal)
        {
            ["url"] = "each peer URL is derived from servers[].address and high-availability.port",
        },
        ["Control-agent"] = new(StringComparer.Ordinal)
        {
            ["http-host"] = "the agent's address is control-agent.host (or servers[].control-agent.host where the servers' differ)",
            ["http-port"] = "the agent's port is control-agent.port",
            ["control-sockets"] = "the agent's socket to the DHCPv4 server is derived from control-socket",
        },
    };

    /// <summary>Dhcp4 keys that both servers of the pair must hold alike, refused under servers[].dhcp4, with why.</summary>
    public static readonly IReadOnlyDictionary<string, string> PairOnlyDhcp4Keys = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["option-data"] = "both servers must give clients the same options",
        ["option-def"] = "both servers must read options alike",
        ["client-classes"] = "both servers must classify clients alike, and keagitops adds the classes that split restricted pools",
        ["hooks-libraries"] = "both servers must load the same hooks",
        ["reservations"] = "both servers must reserve the same addresses",
        ["renew-timer"] = "both servers must give clients the same timers",
        ["rebind-timer"] = "both servers must give clients the same timers",
        ["valid-lifetime"] = "both servers must give clients the same lease times",
        ["shared-networks"] = "both servers must serve the same networks",
        ["control-socket"] = "deploy reaches both servers through the one control socket",
    };

    /// <summary>The HA relationship's keys one server may hold of its own: its TLS files (the peers must agree on everything else).</summary>
    public static readonly IReadOnlySet<string> PerServerHaKeys = new HashSet<string>(StringComparer.Ordinal) { "cert-file", "key-file", "trust-anchor", "require-client-certs" };

    /// <summary>Renamed Kea parameters that users carry over from hand-written configs, with their current names.</summary>
    public static readonly IReadOnlyDictionary<string, string> RenamedKeys = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["client-class"] = "client-classes",
        ["require-client-classes"] = "evaluate-additional-classes",
        ["only-if-required"] = "only-in-additional-list",
        ["output_options"] = "output-options",
        ["renew"] = "renew-timer",
        ["rebind"] = "rebind-timer",
        ["reservation-mode"] = "reservations-global / reservations-in-subnet / reservations-out-of-pool",
    };

    /// <summary>Where a derived key's value comes from, wherever it is written (the schema asks for keys written where no Kea key goes); null for any other key.</summary>
    public static string? DerivedOrigin(string key) =>
        DerivedKeys.Values.Select(keys => keys.GetValueOrDefault(key)).FirstOrDefault(origin => origin is not null);

    public void Check(InventoryModel inventory, DiagnosticBag diagnostics)
    {
        // Loaded on first use only: most inventories (every large one) have no Kea keys outside the typed ones.
        var table = new Lazy<KeaKeyTable>(() => KeaKeyTable.For(inventory.Kea.Version));
        var version = inventory.Kea.Version.Name();
        Check(inventory, table, version, diagnostics);
        Check(inventory.HighAvailability, table, version, diagnostics);
        Check(inventory.ControlAgent, table, version, diagnostics);
        Check(inventory.ControlSocket, table, version, diagnostics);
        Check(inventory.LeaseDatabase, table, version, diagnostics);
        foreach (var server in inventory.Servers)
        {
            CheckPerServer(server, table, version, diagnostics);
        }

        CheckOptions(inventory.OptionData, table, version, diagnostics);
        foreach (var network in inventory.SharedNetworks)
        {
            Check(network, table, version, diagnostics);
            CheckOptions(network.OptionData, table, version, diagnostics);
        }

        foreach (var subnet in inventory.AllSubnets)
        {
            Check(subnet, table, version, diagnostics);
            CheckOptions(subnet.OptionData, table, version, diagnostics);
            foreach (var pool in subnet.Pools)
            {
                Check(pool, table, version, diagnostics);
                CheckOptions(pool.OptionData, table, version, diagnostics);
            }

            foreach (var reservation in subnet.Reservations)
            {
                CheckOptions(reservation.OptionData, table, version, diagnostics);
                if (reservation.KeaKeys.Count > 0)
                {
                    Check(reservation, table, version, diagnostics);
                    if (reservation.Comment is not null && reservation.KeaKeys.FirstOrDefault(e => e.Key.Value == "user-context") is { } context)
                    {
                        // The comment is rendered as user-context.comment: write it inside the user-context instead.
                        diagnostics.Add(DiagnosticCatalogue.SettingTwice(context.Key.Location, "user-context", "comment", reservation.LocationOf(nameof(Reservation.Comment))));
                    }
                }
            }
        }

        if (inventory.Wrote(nameof(InventoryModel.Logging)) && inventory.KeaKeys.FirstOrDefault(e => e.Key.Value == "loggers") is { } loggers)
        {
            diagnostics.Add(DiagnosticCatalogue.SettingTwice(loggers.Key.Location, "loggers", "logging", inventory.LocationOf(nameof(InventoryModel.Logging))));
        }

        foreach (var subnet in inventory.AllSubnets)
        {
            if (subnet.Comment is not null && subnet.KeaKeys.FirstOrDefault(e => e.Key.Value == "user-context") is { Value: MappingNode context } && context.Find("comment") is { } comment)
            {
                diagnostics.Add(DiagnosticCatalogue.SettingTwice(comment.Key.Location, "user-context.comment", "comment", subnet.LocationOf(nameof(Subnet.Comment))));
            }
        }
    }

    /// <param name="skip">keys already reported otherwise.</param>
    private static void Check(ModelObject owner, Lazy<KeaKeyTable> lazyTable, string version, DiagnosticBag diagnostics, IEnumerable<string>? skip = null)
    {
        if (owner.KeaKeys.Count == 0)
        {
            return;
        }

        var table = lazyTable.Value;
        var path = owner.GetType().GetCustomAttribute<KeaScopeAttribute>()!.Path;
        var scope = Resolve(table, path);
        var scopeName = string.Join('.', path);
        foreach (var entry in owner.KeaKeys)
        {
            var key = entry.Key.Value;
            if (skip?.Contains(key, StringComparer.Ordinal) == true)
            {
                continue;
            }

            if (SecretKeys.IsSecretLike(key))
            {
                diagnostics.Add(DiagnosticCatalogue.SecretKey(entry.Key.Location, key));
                continue;
            }

            if (DerivedKeys.TryGetValue(scopeName, out var derived) && derived.TryGetValue(key, out var origin))
            {
                diagnostics.Add(DiagnosticCatalogue.UnknownKeyFound(entry.Key.Location, key, scopeName, [], origin));
                continue;
            }

            if (!scope.TryGet(key, out _))
            {
                var own = ModelBinder.KeysOf(owner.GetType()).Keys.Order(StringComparer.Ordinal).ToList();
                diagnostics.Add(RenamedKeys.TryGetValue(key, out var current)
                    ? DiagnosticCatalogue.RenamedKey(entry.Key.Location, key, current)
                    : DiagnosticCatalogue.UnknownKeyInScope(entry.Key.Location, key, Where(owner), Spelling.Closest(key, own.Concat(scope.Keys)), own, version, scope.Keys));
                continue;
            }

            if (RenamedKeys.TryGetValue(key, out var newer) && scope.TryGet(newer, out _))
            {
                diagnostics.Add(DiagnosticCatalogue.DeprecatedKeaKey(entry.Key.Location, key, newer, version));
            }

            var found = false;
            foreach (var problem in KeaKeyChecker.Check(table, scope, entry))
            {
                found = true;
                diagnostics.Add(problem.UnknownKey ? DiagnosticCatalogue.UnknownKeaKey(problem.At.Location, problem.Message) : DiagnosticCatalogue.WrongKeaType(problem.At.Location, problem.Message));
            }

            if (!found)
            {
                CheckInside(scopeName, entry, diagnostics);
            }
        }
    }

    /// <summary>A server's own Kea keys: checked as any Kea key, and refused where the pair must agree.</summary>
    private static void CheckPerServer(Server server, Lazy<KeaKeyTable> table, string version, DiagnosticBag diagnostics)
    {
        if (server.Dhcp4 is { } dhcp4)
        {
            foreach (var entry in dhcp4.KeaKeys.Where(e => PairOnlyDhcp4Keys.ContainsKey(e.Key.Value)))
            {
                diagnostics.Add(DiagnosticCatalogue.NotPerServer(entry.Key.Location, entry.Key.Value, string.Empty, PairOnlyDhcp4Keys[entry.Key.Value]));
            }

            Check(dhcp4, table, version, diagnostics, skip: PairOnlyDhcp4Keys.Keys);
        }

        if (server.HighAvailability is { } ha)
        {
            var pairOnly = ha.KeaKeys.Where(e => !PerServerHaKeys.Contains(e.Key.Value)).Select(e => e.Key.Value).ToList();
            foreach (var entry in ha.KeaKeys.Where(e => pairOnly.Contains(e.Key.Value)))
            {
                diagnostics.Add(DiagnosticCatalogue.NotPerServer(entry.Key.Location, entry.Key.Value, " under high-availability",
                    $"the peers of a relationship must agree on it; a server's own are its TLS files: {string.Join(", ", PerServerHaKeys.Order(StringComparer.Ordinal))}"));
            }

            Check(ha, table, version, diagnostics, skip: pairOnly);
        }

        if (server.ControlAgent is { } agent)
        {
            Check(agent, table, version, diagnostics);
        }
    }

    private static void CheckOptions(List<OptionValue> options, Lazy<KeaKeyTable> table, string version, DiagnosticBag diagnostics)
    {
        foreach (var option in options)
        {
            Check(option, table, version, diagnostics);
        }
    }

    /// <summary>The mapping a model object was read from, as a person would name it.</summary>
    private static string Where(ModelObject owner) => owner switch
    {
        InventoryModel => "the inventory",
        HighAvailability => "high-availability",
        ControlAgent => "control-agent",
        ControlSocket => "control-socket",
        ServerDhcp4 => "servers[].dhcp4",
        ServerHighAvailability => "servers[].high-availability",
        ServerControlAgent => "servers[].control-agent",
        LeaseDatabase => "lease-database",
        SharedNetwork network => $"shared network {network.Name}",
        Subnet subnet => $"subnet {subnet.Id}",
        Pool pool => $"pool {pool.Range.Value}",
        OptionValue option => $"option {option.Name}",
        Reservation reservation => $"the reservation of {reservation.Describe()}",
        _ => owner.GetType().Name,
    };

    /// <summary>What the key table cannot know: derived keys and secrets inside a Kea value, and keagitops's own hook libraries.</summary>
    private static void CheckInside(string scopeName, MappingEntry entry, DiagnosticBag diagnostics)
    {
        var key = entry.Key.Value;
        if (key == "hooks-libraries" && entry.Value is SequenceNode hooks)
        {
            foreach (var hook in hooks.Items.OfType<MappingNode>())
            {
                if (hook.Find("library") is { Value: ScalarNode library } && KeaHooks.IsDerived(library.Value))
                {
                    diagnostics.Add(DiagnosticCatalogue.UnknownKeyFound(library.Location, KeaHooks.FileName(library.Value), "hooks-libraries", [],
                        "keagitops loads it itself, with its parameters from the inventory's typed keys (high-availability, servers); list only other hook libraries here"));
                }
            }
        }

        if (entry.Value is MappingNode inner && DerivedKeys.TryGetValue($"{scopeName}.{key}", out var derived))
        {
            foreach (var member in inner.Entries)
            {
                if (derived.TryGetValue(member.Key.Value, out var origin))
                {
                    diagnostics.Add(DiagnosticCatalogue.UnknownKeyFound(member.Key.Location, member.Key.Value, $"{scopeName}.{key}", [], origin));
                }
            }
        }

        foreach (var secret in SecretsIn(entry.Value))
        {
            diagnostics.Add(DiagnosticCatalogue.SecretKey(secret.Location, secret.Value));
        }
    }

    private static IEnumerable<ScalarNode> SecretsIn(Node node)
    {
        switch (node)
        {
            case MappingNode mapping:
                foreach (var (key, value) in mapping.Entries)
                {
                    if (SecretKeys.IsSecretLike(key.Value))
                    {
                        yield return key;
                    }
                    else
                    {
                        foreach (var secret in SecretsIn(value))
                        {
                            yield return secret;
                        }
                    }
                }

                break;
            case SequenceNode sequence:
                foreach (var secret in sequence.Items.SelectMany(SecretsIn))
                {
                    yield return secret;
                }

                break;
        }
    }

    /// <summary>The Kea scope a model type's mapping stands for: a root, then the keys leading down from it.</summary>
    private static KeaKeyScope Resolve(KeaKeyTable table, IReadOnlyList<string> path)
    {
        var scope = path[0] switch
        {
            "Dhcp4" => table.Dhcp4,
            "Control-agent" => table.ControlAgent,
            "high-availability" => table.HighAvailability,
            var other => throw new InvalidOperationException($"no Kea root '{other}'"),
        };
        foreach (var key in path.Skip(1))
        {
            scope = scope.TryGet(key, out var type) && type.ElementScope is { } child
                ? table.Scope(child)
                : throw new InvalidOperationException($"Kea's key table has no '{key}' map in {scope.Name}");
        }

        return scope;
    }
}
