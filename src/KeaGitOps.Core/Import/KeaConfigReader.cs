using System.Globalization;
using System.Text.Json;
using KeaGitOps.Core.Addressing;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Options;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import;

/// <summary>
/// Maps one server's parsed kea-dhcp4.conf to inventory terms. Pure: the caller reads and parses the
/// file (KeaJson). Every key it does not map is recorded by JSON path in <see cref="ServerSnapshot.NotImported"/>:
/// nothing is dropped silently.
/// </summary>
public static class KeaConfigReader
{
    public const string DefaultHooksDirectory = "/usr/lib/x86_64-linux-gnu/kea/hooks";
    public const string DefaultSocketDirectory = "/run/kea";

    /// <summary>Report entries about kea-ctrl-agent.conf start with this (its top-level keys other than Control-agent too).</summary>
    private const string AgentPath = "Control-agent";

    /// <summary>Whether a not-imported or rendered-differently entry is about kea-ctrl-agent.conf rather than kea-dhcp4.conf.</summary>
    public static bool IsAgentEntry(string entry) => entry.StartsWith(AgentPath, StringComparison.Ordinal);

    /// <summary>The Control Agent's realm as keagitops renders it.</summary>
    public const string AgentRealm = "kea-control-agent";

    /// <param name="agent">the server's parsed kea-ctrl-agent.conf, or null when it has none.</param>
    public static ServerSnapshot Read(string serverName, JsonElement root, JsonElement? agent = null)
    {
        var snapshot = new ServerSnapshot { Name = serverName, HasAgentConfig = agent is not null };
        var reader = new Reader(snapshot);
        reader.ReadRoot(root);
        if (agent is { } agentRoot)
        {
            reader.ReadAgent(agentRoot);
        }

        return snapshot;
    }

    private sealed class Reader(ServerSnapshot snapshot)
    {
        /// <summary>Whether the target Kea takes bare hook and socket names (2.6 and 3.0) rather than full paths (2.2).</summary>
        private bool _is3 = true;

        /// <summary>"space/name" of every option-def in the config: options that need one cannot be imported.</summary>
        private readonly HashSet<string> _definedOptions = new(StringComparer.Ordinal);
        private long _automaticSubnetIds;
        private bool _sharedNetworksHaveSubnets;
        private (string First, string Second)? _scopes;

        private void NotImported(string path, string why) => snapshot.NotImported.Add($"{path}: {why}");

        private void Note(string path, string what) => snapshot.Notes.Add($"{path}: {what}");

        private void Set(string key, YamlValue value) => snapshot.Settings.Add(new Setting(key, value));

        /// <summary>Records every member of <paramref name="element"/> not in <paramref name="known"/> as not imported.</summary>
        /// <summary>False (and recorded as not imported) when <paramref name="element"/> is not a JSON object: a hand-edited config may hold anything.</summary>
        private bool OnlyKnown(JsonElement element, string path, params string[] known)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                NotImported(path, $"expected a JSON object, found {element.ValueKind.ToString().ToLowerInvariant()}");
                return false;
            }

            foreach (var member in element.EnumerateObject())
            {
                if (!known.Contains(member.Name, StringComparer.Ordinal))
                {
                    NotImported($"{path}.{member.Name}", "no inventory key for it");
                }
            }

            return true;
        }

        public void ReadRoot(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Dhcp4", out var dhcp4) || dhcp4.ValueKind != JsonValueKind.Object)
            {
                NotImported("$", "not a Kea DHCPv4 configuration (no Dhcp4 object)");
                return;
            }

            OnlyKnown(root, "$", "Dhcp4");
            const string P = "Dhcp4";
            OnlyKnown(dhcp4, P, "interfaces-config", "control-socket", "lease-database", "renew-timer", "rebind-timer", "valid-lifetime",
                "multi-threading", "hooks-libraries", "option-data", "subnet4", "loggers", "user-context");
            var version = ReadKeaVersion(dhcp4);
            _is3 = version.TakesBareNames();
            ReadOptionDefinitions(dhcp4);

            if (dhcp4.TryGetProperty("interfaces-config", out var interfaces))
            {
                if (OnlyKnown(interfaces, P + ".interfaces-config", "interfaces") && interfaces.TryGetProperty("interfaces", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    snapshot.Interfaces.AddRange(list.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!));
                }
            }

            ReadHooks(dhcp4, P);
            ReadControlSocket(dhcp4, P);
            ReadLeaseDatabase(dhcp4, P);
            ReadLoggers(dhcp4, P);
            ReadMultiThreading(dhcp4, P);
            snapshot.Settings.AddRange(Timers(dhcp4));
            snapshot.Settings.AddRange(OptionData(dhcp4, P, string.Empty));
            ReadUserContext(dhcp4, P);

            if (dhcp4.TryGetProperty("shared-networks", out var shared) && shared.ValueKind == JsonValueKind.Array
                && shared.EnumerateArray().Any(n => n.ValueKind == JsonValueKind.Object && n.TryGetProperty("subnet4", out var inner) && inner.ValueKind == JsonValueKind.Array && inner.GetArrayLength() > 0))
            {
                // Kea 2.2 numbers the subnets of shared networks too; in which order against subnet4 is not checked.
                _sharedNetworksHaveSubnets = true;
            }

            if (dhcp4.TryGetProperty("subnet4", out var subnets) && subnets.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var subnet in subnets.EnumerateArray())
                {
                    ReadSubnet(subnet, $"{P}.subnet4[{i++}]");
                }
            }
        }

        private void ReadOptionDefinitions(JsonElement dhcp4)
        {
            if (dhcp4.TryGetProperty("option-def", out var definitions) && definitions.ValueKind == JsonValueKind.Array)
            {
                foreach (var definition in definitions.EnumerateArray())
                {
                    _definedOptions.Add($"{Text(definition, "space") ?? "dhcp4"}/{Text(definition, "name")}");
                }
            }
        }

        /// <summary>
        /// kea-ctrl-agent.conf: listen address and port, basic authentication (user and password file;
        /// a password written in the config is never copied), the DHCPv4 control socket.
        /// </summary>
        public void ReadAgent(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(AgentPath, out var agent) || agent.ValueKind != JsonValueKind.Object)
            {
                NotImported(AgentPath, "not a Kea Control Agent configuration (no Control-agent object)");
                return;
            }

            foreach (var member in root.EnumerateObject().Where(m => m.Name != AgentPath))
            {
                NotImported($"{AgentPath}:$.{member.Name}", "a top-level key of kea-ctrl-agent.conf keagitops does not render");
            }

            const string P = AgentPath;
            OnlyKnown(agent, P, "http-host", "http-port", "authentication", "control-sockets", "loggers", "hooks-libraries", "user-context");
            if (Text(agent, "http-host") is { } host)
            {
                Set("control-agent.host", YamlValue.String(host));
            }

            if (Integer(agent, "http-port") is { } port)
            {
                Set("control-agent.port", YamlValue.Number(port));
            }

            if (agent.TryGetProperty("authentication", out var authentication) && authentication.ValueKind == JsonValueKind.Object)
            {
                ReadAgentAuthentication(authentication, P + ".authentication");
            }

            if (agent.TryGetProperty("control-sockets", out var sockets) && sockets.ValueKind == JsonValueKind.Object)
            {
                ReadAgentSockets(sockets, P + ".control-sockets");
            }

            if (agent.TryGetProperty("hooks-libraries", out var hooks) && hooks.ValueKind == JsonValueKind.Array && hooks.GetArrayLength() > 0)
            {
                NotImported(P + ".hooks-libraries", "agent hook libraries are not managed by keagitops");
            }

            if (agent.TryGetProperty("loggers", out _))
            {
                Note(P + ".loggers", "keagitops renders the kea-ctrl-agent logger from the inventory's logging settings, to stdout");
            }

            ReadUserContext(agent, P);
        }

        private void ReadAgentAuthentication(JsonElement authentication, string path)
        {
            OnlyKnown(authentication, path, "type", "realm", "directory", "clients");
            if (Text(authentication, "type") is { } type && type != "basic")
            {
                NotImported(path, $"{type} authentication: keagitops renders basic authentication");
                return;
            }

            if (Text(authentication, "realm") is { } realm && realm != AgentRealm)
            {
                Note(path + ".realm", $"{realm} becomes {AgentRealm}");
            }

            if (!authentication.TryGetProperty("clients", out var clients) || clients.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            var directory = Text(authentication, "directory");
            var i = 0;
            foreach (var client in clients.EnumerateArray())
            {
                var clientPath = $"{path}.clients[{i}]";
                if (i++ > 0)
                {
                    NotImported(clientPath, "keagitops renders one API client");
                    continue;
                }

                if (!OnlyKnown(client, clientPath, "user", "password", "password-file", "user-file"))
                {
                    continue;
                }

                if (client.TryGetProperty("password", out _))
                {
                    // Never echoed: the value stays on the server.
                    NotImported(clientPath + ".password", "a password written in the config is not copied into the inventory; put it in a file on the server (mode 0640, owner root, group _kea) and give that file as control-agent.authentication.password-file");
                }

                if (client.TryGetProperty("user-file", out _))
                {
                    NotImported(clientPath + ".user-file", "keagitops names the user in the inventory");
                }

                if (Text(client, "password-file") is not { } file)
                {
                    continue;
                }

                var full = file.StartsWith('/') ? file : $"{(directory ?? "/etc/kea").TrimEnd('/')}/{file}";
                if (file.StartsWith('/') || directory is null)
                {
                    Note(path + ".directory", $"keagitops renders the password file {full} as directory {Path.GetDirectoryName(full)} and file {Path.GetFileName(full)}");
                }

                var entries = new List<KeyValuePair<string, YamlValue>>();
                if (Text(client, "user") is { } user)
                {
                    entries.Add(KeyValuePair.Create("user", YamlValue.String(user)));
                }

                entries.Add(KeyValuePair.Create("password-file", YamlValue.String(full)));
                Set("control-agent.authentication", new YamlMap(entries));
            }
        }

        /// <summary>The text of a string setting read so far (from kea-dhcp4.conf), or null.</summary>
        private string? SettingText(string key) => snapshot.Settings.FindLast(s => s.Key == key)?.Value.ToYaml().Trim('"');

        private void ReadAgentSockets(JsonElement sockets, string path)
        {
            foreach (var member in sockets.EnumerateObject())
            {
                if (member.Name != "dhcp4")
                {
                    NotImported($"{path}.{member.Name}", "keagitops manages the DHCPv4 server only");
                    continue;
                }

                var socketPath = $"{path}.dhcp4";
                if (!OnlyKnown(member.Value, socketPath, "socket-type", "socket-name"))
                {
                    continue;
                }

                var name = Text(member.Value, "socket-name") ?? string.Empty;
                var bare = name[(name.LastIndexOf('/') + 1)..];
                var listening = SettingText("control-socket.socket-name");
                if (listening is not null && bare != listening)
                {
                    Note(socketPath + ".socket-name", $"{name} is not the socket kea-dhcp4 listens on ({listening}): the agent could not reach it; keagitops renders {listening} in both");
                }
                else if (name != (_is3 ? bare : $"{SettingText("kea.socket-directory") ?? DefaultSocketDirectory}/{bare}"))
                {
                    Note(socketPath + ".socket-name", $"{name} is rendered as kea-dhcp4's control socket, {(_is3 ? "by its bare name (Kea 3.0)" : "by its full path (Kea 2.2)")}");
                }
            }
        }

        /// <summary>
        /// The Kea version the config is written for, told by syntax that only some versions read (Kea's
        /// grammar at each release): 3.0's new names mean 3.0; loggers' output-options and bare hook names
        /// mean 2.6 or later; a subnet without an id means 2.2 (2.6 and 3.0 refuse it). Older names that
        /// newer versions still read only break a tie: then the oldest version that fits. Evidence that
        /// no one version reads is a finding, and a choice between versions is written as an assumption:
        /// never a silent guess.
        /// </summary>
        private KeaVersion ReadKeaVersion(JsonElement dhcp4)
        {
            var newer = new List<(KeaVersion AtLeast, string Path, string What)>();
            string? withoutId = null;
            string? olderName = null;
            Walk(dhcp4, "Dhcp4", null);

            var lowest = newer.Count == 0 ? KeaVersion.V2_2 : newer.Max(e => e.AtLeast);
            var highest = withoutId is null ? KeaVersion.V3_0 : KeaVersion.V2_2;
            var strongest = newer.Count == 0 ? default : newer.First(e => e.AtLeast == lowest);
            KeaVersion version;
            if (lowest > highest)
            {
                // The missing ids are written by the import anyway, so the newer syntax decides.
                version = lowest;
                snapshot.KeaVersionReading = new KeaVersionReading(
                    $"kea.version {version.Name()}: {strongest.Path} is {strongest.What}, but {withoutId} has no id, which Kea 2.6 and 3.0 refuse: no Kea version reads this config as it is; check which version the server runs",
                    Contradictory: true);
            }
            else if (lowest == highest)
            {
                version = lowest;
            }
            else
            {
                version = olderName is null ? highest : lowest;
                var fitting = KeaVersions.All.Where(v => v.Version >= lowest && v.Version <= highest).Select(v => v.Name).ToList();
                var range = $"{string.Join(", ", fitting.SkipLast(1))} or {fitting[^1]}";
                var why = (olderName, newer.Count) switch
                {
                    (not null, 0) => $"{olderName} is the older syntax, and nothing newer is written",
                    (not null, _) => $"{strongest.Path} is {strongest.What}, and {olderName} is the older syntax",
                    (null, 0) => "no syntax in the config tells the versions apart; the newest is assumed",
                    (null, _) => $"{strongest.Path} is {strongest.What}, and nothing tells the newer versions apart; the newest is assumed",
                };
                snapshot.KeaVersionReading = new KeaVersionReading(
                    $"kea.version {version.Name()}: the config fits Kea {range}; {why}. Set kea.version if the server runs another",
                    Contradictory: false);
            }

            Set("kea.version", YamlValue.String(version.Name()));
            return version;

            // By key and where it stands, never by a string value that happens to read like one.
            // list: the name of the list this element is an item of, if it is one.
            void Walk(JsonElement element, string path, string? list)
            {
                if (element.ValueKind == JsonValueKind.Array)
                {
                    var i = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item, $"{path}[{i++}]", list);
                    }

                    return;
                }

                if (element.ValueKind != JsonValueKind.Object)
                {
                    return;
                }

                if (list == "subnet4" && !element.TryGetProperty("id", out _))
                {
                    withoutId ??= path;
                }

                // A full path is no hint: 2.6 and 3.0 take one inside their hooks directory.
                if (list == "hooks-libraries" && Text(element, "library") is { Length: > 0 } library && !library.Contains('/', StringComparison.Ordinal))
                {
                    newer.Add((KeaVersion.V2_6, path + ".library", "a bare hook name (Kea 2.6 on)"));
                }

                // A user-context holds the user's own keys, whatever they are named.
                foreach (var member in element.EnumerateObject().Where(m => !m.NameEquals("user-context")))
                {
                    var at = $"{path}.{member.Name}";
                    switch (member.Name)
                    {
                        case "control-sockets" when path == "Dhcp4":
                        case "client-classes" when list is "pools" or "subnet4" or "shared-networks" or "option-data":
                        case "evaluate-additional-classes":
                        case "only-in-additional-list":
                            newer.Add((KeaVersion.V3_0, at, "Kea 3.0 syntax"));
                            break;
                        case "output-options" when list == "loggers":
                            newer.Add((KeaVersion.V2_6, at, "Kea 2.6 syntax"));
                            break;
                        case "output_options" when list == "loggers":
                        case "client-class" when list is "pools" or "subnet4" or "shared-networks":
                        case "require-client-classes":
                        case "only-if-required":
                            olderName ??= at;
                            break;
                    }

                    // The items of a list know its name (a pool is an item of pools); deeper objects do not.
                    Walk(member.Value, at, member.Value.ValueKind == JsonValueKind.Array ? member.Name : null);
                }
            }
        }

        private void ReadHooks(JsonElement dhcp4, string p)
        {
            if (!dhcp4.TryGetProperty("hooks-libraries", out var hooks) || hooks.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            var i = 0;
            foreach (var hook in hooks.EnumerateArray())
            {
                var path = $"{p}.hooks-libraries[{i++}]";
                if (hook.ValueKind != JsonValueKind.Object)
                {
                    NotImported(path, "expected a JSON object");
                    continue;
                }

                var library = hook.TryGetProperty("library", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString()! : string.Empty;
                var name = library[(library.LastIndexOf('/') + 1)..];
                if (name is not ("libdhcp_lease_cmds.so" or "libdhcp_ha.so"))
                {
                    NotImported(path, $"hook library {library} is not managed by keagitops");
                    continue;
                }

                var directory = library.Contains('/', StringComparison.Ordinal) ? library[..library.LastIndexOf('/')] : null;
                if (directory is not null && _is3)
                {
                    Note(path + ".library", $"{library} becomes {name} (Kea 3.0 loads hooks from its own directory)");
                }
                else if (directory is null && !_is3)
                {
                    Note(path + ".library", $"{library} becomes a full path under kea.hooks-directory (Kea 2.2 needs one)");
                }
                else if (directory is not null && directory != DefaultHooksDirectory && !snapshot.Settings.Exists(s => s.Key == "kea.hooks-directory"))
                {
                    Set("kea.hooks-directory", YamlValue.String(directory));
                }

                if (name == "libdhcp_lease_cmds.so")
                {
                    OnlyKnown(hook, path, "library");
                    continue;
                }

                OnlyKnown(hook, path, "library", "parameters");
                if (hook.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
                {
                    OnlyKnown(parameters, path + ".parameters", "high-availability");
                    if (parameters.TryGetProperty("high-availability", out var ha) && ha.ValueKind == JsonValueKind.Array)
                    {
                        var j = 0;
                        foreach (var relationship in ha.EnumerateArray())
                        {
                            var haPath = $"{path}.parameters.high-availability[{j}]";
                            if (j++ == 0)
                            {
                                ReadHa(relationship, haPath);
                            }
                            else
                            {
                                NotImported(haPath, "keagitops manages one HA relationship");
                            }
                        }
                    }
                }
            }
        }

        private void ReadHa(JsonElement ha, string path)
        {
            if (!OnlyKnown(ha, path, "this-server-name", "mode", "heartbeat-delay", "max-response-delay", "max-ack-delay", "max-unacked-clients", "multi-threading", "peers"))
            {
                return;
            }

            snapshot.ThisServerName = Text(ha, "this-server-name");
            var mode = Text(ha, "mode") ?? "load-balancing";
            Set("high-availability.mode", YamlValue.String(mode));
            if (ha.TryGetProperty("peers", out var peers) && peers.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var peer in peers.EnumerateArray())
                {
                    var peerPath = $"{path}.peers[{i++}]";
                    if (!OnlyKnown(peer, peerPath, "name", "url", "role", "auto-failover"))
                    {
                        continue;
                    }

                    var url = Text(peer, "url");
                    Uri.TryCreate(url, UriKind.Absolute, out var uri);
                    if (uri is not null && uri.AbsolutePath != "/")
                    {
                        NotImported(peerPath + ".url", $"the path of {url} (keagitops renders http://ADDRESS:PORT/)");
                    }

                    snapshot.Peers.Add(new ImportedPeer(
                        Text(peer, "name") ?? string.Empty, url, uri?.Host, uri is null ? null : uri.Port, Text(peer, "role"),
                        peer.TryGetProperty("auto-failover", out var af) && af.ValueKind is JsonValueKind.True or JsonValueKind.False ? af.GetBoolean() : null));
                }
            }

            var own = snapshot.Peers.Find(peer => peer.Name == snapshot.Name) ?? snapshot.Peers.FirstOrDefault();
            if (own?.Port is { } port)
            {
                Set("high-availability.port", YamlValue.Number(port));
            }

            foreach (var key in new[] { "heartbeat-delay", "max-response-delay", "max-ack-delay", "max-unacked-clients" })
            {
                if (Integer(ha, key) is { } value)
                {
                    Set("high-availability." + key, YamlValue.Number(value));
                }
            }

            var failovers = snapshot.Peers.Select(peer => peer.AutoFailover ?? true).Distinct().ToList();
            if (failovers.Count == 1 && !failovers[0])
            {
                Set("high-availability.auto-failover", YamlValue.Bool(false));
            }
            else if (failovers.Count > 1)
            {
                NotImported(path + ".peers[].auto-failover", "differs between peers; the inventory has one value for all");
            }

            if (mode == "load-balancing")
            {
                var primary = snapshot.Peers.Find(peer => peer.Role == "primary");
                var secondary = snapshot.Peers.Find(peer => peer.Role == "secondary");
                if (primary is not null && secondary is not null)
                {
                    _scopes = ("HA_" + primary.Name, "HA_" + secondary.Name);
                }
            }
        }

        private void ReadControlSocket(JsonElement dhcp4, string p)
        {
            if (!dhcp4.TryGetProperty("control-socket", out var socket) || socket.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            var path = p + ".control-socket";
            OnlyKnown(socket, path, "socket-type", "socket-name");
            if (Text(socket, "socket-type") is { } type && type != "unix")
            {
                NotImported(path + ".socket-type", $"{type}: keagitops renders a unix socket");
            }

            if (Text(socket, "socket-name") is not { } name)
            {
                return;
            }

            var slash = name.LastIndexOf('/');
            if (slash < 0)
            {
                Set("control-socket.socket-name", YamlValue.String(name));
            }
            else if (_is3)
            {
                Note(path + ".socket-name", $"{name} becomes {name[(slash + 1)..]} (Kea 3.0 resolves it in its socket directory)");
                Set("control-socket.socket-name", YamlValue.String(name[(slash + 1)..]));
            }
            else
            {
                if (name[..slash] != DefaultSocketDirectory)
                {
                    Set("kea.socket-directory", YamlValue.String(name[..slash]));
                }

                Set("control-socket.socket-name", YamlValue.String(name[(slash + 1)..]));
            }
        }

        private void ReadLeaseDatabase(JsonElement dhcp4, string p)
        {
            if (!dhcp4.TryGetProperty("lease-database", out var database) || database.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            var path = p + ".lease-database";
            OnlyKnown(database, path, "type", "persist", "lfc-interval");
            if (Text(database, "type") is { } type && type != "memfile")
            {
                NotImported(path + ".type", $"{type}: keagitops supports memfile only");
            }

            if (database.TryGetProperty("persist", out var persist) && persist.ValueKind == JsonValueKind.False)
            {
                NotImported(path + ".persist", "false: keagitops always persists leases");
            }

            if (Integer(database, "lfc-interval") is { } lfc)
            {
                Set("lease-database.lfc-interval", YamlValue.Number(lfc));
            }
        }

        private void ReadLoggers(JsonElement dhcp4, string p)
        {
            if (!dhcp4.TryGetProperty("loggers", out var loggers) || loggers.ValueKind != JsonValueKind.Array)
            {
                Note(p + ".loggers", "absent: keagitops renders the kea-dhcp4 logger (INFO to stdout)");
                return;
            }

            var i = 0;
            foreach (var logger in loggers.EnumerateArray())
            {
                var path = $"{p}.loggers[{i++}]";
                if (Text(logger, "name") != "kea-dhcp4" || i > 1)
                {
                    NotImported(path, "keagitops renders one logger, kea-dhcp4");
                    continue;
                }

                // Kea 2.6 and 3.0 read both names; the one the config uses is the one read.
                var outputsKey = logger.TryGetProperty("output_options", out _) ? "output_options" : "output-options";
                if (!OnlyKnown(logger, path, "name", "severity", "debuglevel", outputsKey))
                {
                    continue;
                }

                if (Text(logger, "severity") is { } severity)
                {
                    Set("logging.severity", YamlValue.String(severity));
                }

                if (Integer(logger, "debuglevel") is { } level)
                {
                    Set("logging.debuglevel", YamlValue.Number(level));
                }

                if (!logger.TryGetProperty(outputsKey, out var outputs) || outputs.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                var j = 0;
                foreach (var output in outputs.EnumerateArray())
                {
                    var outputPath = $"{path}.{outputsKey}[{j}]";
                    if (j++ > 0)
                    {
                        NotImported(outputPath, "keagitops renders one output");
                        continue;
                    }

                    if (!OnlyKnown(output, outputPath, "output"))
                    {
                        continue;
                    }

                    var target = Text(output, "output") ?? "stdout";
                    var mapped = target switch
                    {
                        "stdout" => "stdout",
                        "syslog:kea-dhcp4" => "syslog",
                        "/var/log/kea/kea-dhcp4.log" => "file",
                        _ when target.StartsWith("syslog", StringComparison.Ordinal) => "syslog",
                        _ => null,
                    };
                    if (mapped is null)
                    {
                        NotImported(outputPath + ".output", $"{target}: the inventory offers stdout, syslog or /var/log/kea/kea-dhcp4.log");
                    }
                    else
                    {
                        if (mapped == "syslog" && target != "syslog:kea-dhcp4")
                        {
                            Note(outputPath + ".output", $"{target} becomes syslog:kea-dhcp4");
                        }

                        Set("logging.output", YamlValue.String(mapped));
                    }
                }
            }
        }

        private void ReadMultiThreading(JsonElement dhcp4, string p)
        {
            if (!dhcp4.TryGetProperty("multi-threading", out var mt))
            {
                Note(p + ".multi-threading", "absent: keagitops renders multi-threading on (the HA dedicated listener needs it)");
                return;
            }

            if (OnlyKnown(mt, p + ".multi-threading", "enable-multi-threading") && mt.TryGetProperty("enable-multi-threading", out var enabled) && enabled.ValueKind == JsonValueKind.False)
            {
                NotImported(p + ".multi-threading.enable-multi-threading", "false: keagitops renders multi-threading on (the HA dedicated listener needs it)");
            }
        }

        private void ReadUserContext(JsonElement element, string p)
        {
            if (element.TryGetProperty("user-context", out var context) && context.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in context.EnumerateObject())
                {
                    if (member.Name == "keagitops")
                    {
                        Note($"{p}.user-context.keagitops", "provenance of an earlier keagitops render; rendered anew");
                    }
                    else
                    {
                        NotImported($"{p}.user-context.{member.Name}", "no inventory key for it");
                    }
                }
            }
        }

        private static IEnumerable<Setting> Timers(JsonElement element)
        {
            foreach (var key in new[] { "renew-timer", "rebind-timer", "valid-lifetime" })
            {
                if (Integer(element, key) is { } value)
                {
                    yield return new Setting(key, YamlValue.Number(value));
                }
            }
        }

        private List<Setting> OptionData(JsonElement element, string path, string prefix)
        {
            var settings = new List<Setting>();
            if (!element.TryGetProperty("option-data", out var options) || options.ValueKind != JsonValueKind.Array)
            {
                return settings;
            }

            var i = 0;
            foreach (var option in options.EnumerateArray())
            {
                var optionPath = $"{path}.option-data[{i++}]";
                if (!OnlyKnown(option, optionPath, "name", "code", "space", "csv-format", "always-send", "never-send", "data"))
                {
                    continue;
                }

                var code = Integer(option, "code");
                var space = Text(option, "space") ?? "dhcp4";
                var name = Text(option, "name") ?? (space == "dhcp4" ? OptionDefinitions.Find(code)?.Name : null);
                if (name is null)
                {
                    NotImported(optionPath, "an option without a name (and no standard option has its code)");
                    continue;
                }

                if (_definedOptions.Contains($"{space}/{name}") || (space == "dhcp4" && OptionDefinitions.Find(name) is null))
                {
                    NotImported(optionPath, $"option {name} needs its option-def, which the inventory cannot hold");
                    continue;
                }

                var data = option.TryGetProperty("data", out var d) ? Scalar(d) : string.Empty;
                var csv = Flag(option, "csv-format");
                // The values as Kea reads them (escapes resolved), which the renderer escapes again; several
                // for a single-valued option stay a list, so validation says Kea sends only the first.
                var values = csv == false ? [data] : OptionCsv.Split(data);
                YamlValue value = values.Count > 1
                    ? new YamlList(values.Select(YamlValue.String).ToList())
                    : YamlValue.String(values.Count == 1 ? values[0] : string.Empty);
                var longForm = new List<KeyValuePair<string, YamlValue>>();
                if (code is { } c && option.TryGetProperty("name", out _))
                {
                    longForm.Add(KeyValuePair.Create("code", YamlValue.Number(c)));
                }

                if (option.TryGetProperty("space", out _))
                {
                    longForm.Add(KeyValuePair.Create("space", YamlValue.String(space)));
                }

                foreach (var flag in new[] { "csv-format", "always-send", "never-send" })
                {
                    if (Flag(option, flag) is { } set)
                    {
                        longForm.Add(KeyValuePair.Create(flag, YamlValue.Bool(set)));
                    }
                }

                if (longForm.Count > 0)
                {
                    longForm.Insert(0, KeyValuePair.Create("data", value));
                    value = new YamlMap(longForm);
                }

                settings.Add(new Setting(prefix + "option-data." + name, value));
            }

            return settings;
        }

        private void ReadSubnet(JsonElement subnet, string path)
        {
            if (!OnlyKnown(subnet, path, "id", "subnet", "pools", "renew-timer", "rebind-timer", "valid-lifetime", "option-data", "reservations", "user-context"))
            {
                return;
            }

            if (Integer(subnet, "id") is not { } id || id == 0)
            {
                // Kea 2.2 numbers subnets without an id 1, 2, 3… in the order it reads them (explicit ids
                // do not advance the count; a clash is a config error); 3.0 requires the id.
                id = ++_automaticSubnetIds;
                Note(path + ".id", _sharedNetworksHaveSubnets
                    ? $"absent: written as id {id}, but Kea 2.2 also numbers the subnets of shared-networks, so the id it uses may differ: check the subnet-id of this subnet's leases before the first deploy (Kea 3.0 requires ids)"
                    : $"absent: Kea 2.2 numbers this subnet {id}; the inventory writes id {id} so it stays stable (Kea 3.0 requires ids)");
            }

            var settings = new List<Setting> { new("subnet", YamlValue.String(Text(subnet, "subnet") ?? string.Empty)) };
            if (subnet.TryGetProperty("user-context", out var context) && context.ValueKind == JsonValueKind.Object)
            {
                OnlyKnown(context, path + ".user-context", "comment");
                if (Text(context, "comment") is { } comment)
                {
                    settings.Add(new Setting("comment", YamlValue.String(comment)));
                }
            }

            var pools = Pools(subnet, path);
            if (pools.Count > 0)
            {
                settings.Add(new Setting("pools", new YamlList(pools.Select(YamlValue.String).ToList())));
            }

            settings.AddRange(Timers(subnet));
            settings.AddRange(OptionData(subnet, path, string.Empty));
            var reservations = new List<ImportedReservation>();
            if (subnet.TryGetProperty("reservations", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var reservation in list.EnumerateArray())
                {
                    if (ReadReservation(reservation, $"{path}.reservations[{i++}]") is { } imported)
                    {
                        reservations.Add(imported);
                    }
                }
            }

            snapshot.Subnets.Add(new ImportedSubnet(id, settings, reservations));
        }

        /// <summary>
        /// The subnet's pools as the inventory writes them. In load-balancing mode keagitops renders each
        /// pool as two halves with the servers' HA_ classes, so adjacent halves are folded back into one.
        /// </summary>
        private List<string> Pools(JsonElement subnet, string path)
        {
            var pools = new List<(string Text, Ipv4Range? Range, string? Class, string Path)>();
            if (!subnet.TryGetProperty("pools", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var i = 0;
            foreach (var pool in list.EnumerateArray())
            {
                var poolPath = $"{path}.pools[{i++}]";
                if (!OnlyKnown(pool, poolPath, "pool", "client-classes", "client-class"))
                {
                    continue;
                }

                var text = Text(pool, "pool") ?? string.Empty;
                string? poolClass = null;
                if (pool.TryGetProperty("client-classes", out var classes) && classes.ValueKind == JsonValueKind.Array)
                {
                    var names = classes.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.String ? c.GetString() : c.GetRawText()).ToList();
                    poolClass = names.Count == 1 ? names[0] : string.Join(",", names);
                }
                else if (Text(pool, "client-class") is { } single)
                {
                    poolClass = single;
                }

                if (poolClass is not null && (_scopes is not { } scopes || (poolClass != scopes.First && poolClass != scopes.Second)))
                {
                    NotImported(poolPath + (pool.TryGetProperty("client-classes", out _) ? ".client-classes" : ".client-class"), $"{poolClass}: only the HA scope classes of a load-balancing pair are rendered");
                    poolClass = null;
                }

                pools.Add((text, Ipv4Range.TryParsePool(text, out var range) ? range : null, poolClass, poolPath));
            }

            var result = new List<string>();
            for (var k = 0; k < pools.Count; k++)
            {
                var (text, range, poolClass, poolPath) = pools[k];
                if (poolClass is not null && _scopes is { } s && poolClass == s.First && k + 1 < pools.Count
                    && pools[k + 1].Class == s.Second && range is { } low && pools[k + 1].Range is { } high && low.Last.Value + 1 == high.First.Value)
                {
                    var whole = new Ipv4Range(low.First, high.Last);
                    var keaSplit = low.First.Value + ((whole.Size + 1) / 2) - 1;
                    if (keaSplit != low.Last.Value)
                    {
                        Note(poolPath, $"{low} and {high} folded into {whole}; keagitops splits it in halves at {new Ipv4Address((uint)keaSplit)}");
                    }

                    result.Add(whole.ToString());
                    k++;
                    continue;
                }

                if (poolClass is not null)
                {
                    Note(poolPath, $"{text} ({poolClass}) has no adjacent partner half: imported as a whole pool, which keagitops splits between the servers");
                }
                else if (_scopes is not null)
                {
                    Note(poolPath, $"{text} is not split between the servers; keagitops renders it as two halves (load-balancing needs that)");
                }

                result.Add(range?.ToString() ?? text);
            }

            return result;
        }

        private ImportedReservation? ReadReservation(JsonElement reservation, string path)
        {
            if (!OnlyKnown(reservation, path, "hw-address", "client-id", "ip-address", "hostname", "user-context", "option-data"))
            {
                return null;
            }

            var address = Text(reservation, "ip-address");
            if (address is null)
            {
                NotImported(path, "a reservation without ip-address");
                return null;
            }

            var fields = new List<Setting>();
            string kind;
            string identifier;
            if (Text(reservation, "hw-address") is { } mac)
            {
                kind = "hw-address";
                identifier = HardwareAddress.NormaliseMac(mac) ?? mac.ToLowerInvariant();
            }
            else if (Text(reservation, "client-id") is { } clientId)
            {
                kind = "client-id";
                identifier = clientId.ToLowerInvariant();
            }
            else
            {
                NotImported(path, "a reservation by an identifier the inventory does not have (only hw-address and client-id)");
                return null;
            }

            fields.Add(new Setting(kind, YamlValue.String(identifier)));
            fields.Add(new Setting("ip-address", YamlValue.String(address)));
            if (Text(reservation, "hostname") is { } hostname)
            {
                fields.Add(new Setting("hostname", YamlValue.String(hostname)));
            }

            if (reservation.TryGetProperty("user-context", out var context) && context.ValueKind == JsonValueKind.Object)
            {
                OnlyKnown(context, path + ".user-context", "comment");
                if (Text(context, "comment") is { } comment)
                {
                    fields.Add(new Setting("comment", YamlValue.String(comment)));
                }
            }

            var options = OptionData(reservation, path, string.Empty);
            if (options.Count > 0)
            {
                fields.Add(new Setting("option-data", new YamlMap(options.Select(o => KeyValuePair.Create(o.Key["option-data.".Length..], o.Value)).ToList())));
            }

            return new ImportedReservation(kind, identifier, address, fields);
        }

        private static long? Integer(JsonElement element, string key) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

        private static bool? Flag(JsonElement element, string key) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
    }
}
