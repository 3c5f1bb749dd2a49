using System.Text.Json;
using KeaGitOps.Core.Kea;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>
/// Dhcp4.hooks-libraries: which hook libraries keagitops manages (lease_cmds, host_cmds, HA), where Kea loads them
/// from, and the HA relationship in the HA hook's parameters.
/// </summary>
internal static class HooksSection
{
    public static void Read(SectionContext c, JsonElement dhcp4, string p)
    {
        if (Member(dhcp4, "hooks-libraries", JsonValueKind.Array) is not { } hooks)
        {
            return;
        }

        var others = new List<YamlValue>();
        var derivedSeen = 0;
        var derivedTotal = hooks.EnumerateArray().Count(h => Text(h, "library") is { } l && KeaHooks.IsDerived(l));
        var i = 0;
        foreach (var hook in hooks.EnumerateArray())
        {
            var path = $"{p}.hooks-libraries[{i++}]";
            if (hook.ValueKind != JsonValueKind.Object)
            {
                c.NotImported(path, "expected a JSON object");
                continue;
            }

            var library = hook.TryGetProperty("library", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString()! : string.Empty;
            var name = library[(library.LastIndexOf('/') + 1)..];
            if (!KeaHooks.IsDerived(name))
            {
                // Another hook, with its parameters: Kea's own key, loaded after the hooks keagitops loads itself.
                others.Add(c.WithoutSecrets(hook, path));
                if (derivedSeen < derivedTotal)
                {
                    c.Note(path, $"{library} is loaded after the hook libraries keagitops loads itself ({string.Join(", ", KeaHooks.Derived)})");
                }

                continue;
            }

            derivedSeen++;
            var directory = library.Contains('/', StringComparison.Ordinal) ? library[..library.LastIndexOf('/')] : null;
            if (directory is not null && c.BareNames)
            {
                c.Note(path + ".library", $"{library} becomes {name} (Kea 3.0 loads hooks from its own directory)");
            }
            else if (directory is null && !c.BareNames)
            {
                c.Note(path + ".library", $"{library} becomes a full path under kea.hooks-directory (Kea 2.2 needs one)");
            }
            else if (directory is not null && directory != KeaConfigReader.DefaultHooksDirectory && !c.Snapshot.Settings.Exists(s => s.Key == "kea.hooks-directory"))
            {
                c.Set("kea.hooks-directory", YamlValue.String(directory));
            }

            // host_cmds and subnet_cmds are loaded by deploy.runtime-changes (on by default where the version ships them).
            if (name is KeaHooks.LeaseCommands or KeaHooks.HostCommands or KeaHooks.SubnetCommands)
            {
                if (c.OnlyKnown(hook, path, "library", "parameters") && hook.TryGetProperty("parameters", out var commandParameters))
                {
                    ReadCommandsParameters(c, name, commandParameters, path + ".parameters");
                }

                continue;
            }

            c.OnlyKnown(hook, path, "library", "parameters");
            if (Member(hook, "parameters", JsonValueKind.Object) is { } parameters)
            {
                c.OnlyKnown(parameters, path + ".parameters", "high-availability");
                if (Member(parameters, "high-availability", JsonValueKind.Array) is { } ha)
                {
                    var j = 0;
                    foreach (var relationship in ha.EnumerateArray())
                    {
                        var haPath = $"{path}.parameters.high-availability[{j}]";
                        if (j++ == 0)
                        {
                            ReadHa(c, relationship, haPath);
                        }
                        else
                        {
                            c.NotImported(haPath, "keagitops manages one HA relationship");
                        }
                    }
                }
            }
        }

        if (others.Count > 0)
        {
            c.Set("hooks-libraries", new YamlList(others));
        }
    }

    /// <summary>
    /// lease_cmds', host_cmds' and subnet_cmds' parameters: an empty map is what Kea reads when there is none; Kea 3.0's
    /// lease_cmds reads binding-variables (the inventory's lease-cmds), and nothing else is read by either.
    /// </summary>
    private static void ReadCommandsParameters(SectionContext c, string library, JsonElement parameters, string path)
    {
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            c.NotImported(path, $"expected a JSON object, found {parameters.ValueKind.ToString().ToLowerInvariant()}");
            return;
        }

        foreach (var member in parameters.EnumerateObject())
        {
            var at = $"{path}.{member.Name}";
            if (library == KeaHooks.LeaseCommands && member.Name == "binding-variables" && c.Version >= Inventory.KeaVersion.V3_0)
            {
                c.Set("lease-cmds.binding-variables", c.WithoutSecrets(member.Value, at));
            }
            else
            {
                c.IgnoredByKea(at, library == KeaHooks.LeaseCommands
                    ? $"lease_cmds of Kea {Inventory.KeaVersions.Name(c.Version)} does not read it{(c.Version >= Inventory.KeaVersion.V3_0 ? " (only binding-variables)" : " (it reads no parameters before 3.0)")}"
                    : $"{library} reads no parameters");
            }
        }
    }

    private static void ReadHa(SectionContext c, JsonElement ha, string path)
    {
        if (!c.KeepKeaKeys(ha, path, (key, value) => c.Set("high-availability." + key, value), ["this-server-name", "mode", "heartbeat-delay", "max-response-delay", "max-ack-delay", "max-unacked-clients", "peers"]))
        {
            return;
        }

        c.Snapshot.ThisServerName = Text(ha, "this-server-name");
        var mode = Text(ha, "mode") ?? "load-balancing";
        c.Set("high-availability.mode", YamlValue.String(mode));
        if (Member(ha, "peers", JsonValueKind.Array) is { } peers)
        {
            var i = 0;
            foreach (var peer in peers.EnumerateArray())
            {
                var peerPath = $"{path}.peers[{i++}]";
                if (!c.OnlyKnown(peer, peerPath, "name", "url", "role", "auto-failover"))
                {
                    continue;
                }

                var url = Text(peer, "url");
                Uri.TryCreate(url, UriKind.Absolute, out var uri);
                if (uri is not null && uri.AbsolutePath != "/")
                {
                    c.NotImported(peerPath + ".url", $"the path of {url} (keagitops renders http://ADDRESS:PORT/)");
                }

                c.Snapshot.Peers.Add(new ImportedPeer(
                    Text(peer, "name") ?? string.Empty, url, uri?.Host, uri is null ? null : uri.Port, Text(peer, "role"),
                    peer.TryGetProperty("auto-failover", out var af) && af.ValueKind is JsonValueKind.True or JsonValueKind.False ? af.GetBoolean() : null));
            }
        }

        var own = c.Snapshot.Peers.Find(peer => peer.Name == c.Snapshot.Name) ?? c.Snapshot.Peers.FirstOrDefault();
        if (own?.Port is { } port)
        {
            c.Set("high-availability.port", YamlValue.Number(port));
        }

        foreach (var key in new[] { "heartbeat-delay", "max-response-delay", "max-ack-delay", "max-unacked-clients" })
        {
            if (SectionContext.Integer(ha, key) is { } value)
            {
                c.Set("high-availability." + key, YamlValue.Number(value));
            }
        }

        var keaDefault = KeaDefaults.For("peers", "auto-failover")!.Value.GetBoolean();
        var failovers = c.Snapshot.Peers.Select(peer => peer.AutoFailover ?? keaDefault).Distinct().ToList();
        if (failovers.Count == 1 && !failovers[0])
        {
            c.Set("high-availability.auto-failover", YamlValue.Bool(false));
        }
        else if (failovers.Count > 1)
        {
            c.NotImported(path + ".peers[].auto-failover", "differs between peers; the inventory has one value for all");
        }

        if (mode == "load-balancing")
        {
            var primary = c.Snapshot.Peers.Find(peer => peer.Role == "primary");
            var secondary = c.Snapshot.Peers.Find(peer => peer.Role == "secondary");
            if (primary is not null && secondary is not null)
            {
                c.Scopes = (Rendering.PoolClasses.ScopePrefix + primary.Name, Rendering.PoolClasses.ScopePrefix + secondary.Name);
            }
        }
    }
}
