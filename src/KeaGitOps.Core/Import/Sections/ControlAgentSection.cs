using System.Text.Json;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>
/// kea-ctrl-agent.conf: listen address and port, basic authentication (user and password file; a password
/// written in the config is never copied), the DHCPv4 control socket.
/// </summary>
internal static class ControlAgentSection
{
    public static void Read(SectionContext c, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(KeaConfigReader.AgentPath, out var agent) || agent.ValueKind != JsonValueKind.Object)
        {
            c.NotImported(KeaConfigReader.AgentPath, "not a Kea Control Agent configuration (no Control-agent object)");
            return;
        }

        foreach (var member in root.EnumerateObject().Where(m => m.Name != KeaConfigReader.AgentPath))
        {
            c.IgnoredByKea($"$.{member.Name}", "a top-level key of kea-ctrl-agent.conf keagitops does not render");
        }

        const string P = KeaConfigReader.AgentPath;
        c.KeepKeaKeys(agent, P, (key, value) => c.Set("control-agent." + key, value), ["http-host", "http-port", "authentication", "control-sockets", "loggers", "user-context"]);
        if (Text(agent, "http-host") is { } host)
        {
            c.Set("control-agent.host", YamlValue.String(host));
        }

        if (SectionContext.Integer(agent, "http-port") is { } port)
        {
            c.Set("control-agent.port", YamlValue.Number(port));
        }

        if (Member(agent, "authentication", JsonValueKind.Object) is { } authentication)
        {
            ReadAuthentication(c, authentication, P + ".authentication");
        }

        if (Member(agent, "control-sockets", JsonValueKind.Object) is { } sockets)
        {
            ReadSockets(c, sockets, P + ".control-sockets");
        }

        if (agent.TryGetProperty("loggers", out var loggers))
        {
            c.Set("control-agent.loggers", c.WithoutSecrets(loggers, P + ".loggers")); // the agent's own, as written
        }

        UserContextSection.Read(c, agent, P, "control-agent.");
    }

    private static void ReadAuthentication(SectionContext c, JsonElement authentication, string path)
    {
        c.OnlyKnown(authentication, path, "type", "realm", "directory", "clients");
        if (Text(authentication, "type") is { } type && type != "basic")
        {
            c.NotImported(path, $"{type} authentication: keagitops renders basic authentication");
            return;
        }

        if (Text(authentication, "realm") is { } realm && realm != KeaConfigReader.AgentRealm)
        {
            c.Note(path + ".realm", $"{realm} becomes {KeaConfigReader.AgentRealm}");
        }

        if (Member(authentication, "clients", JsonValueKind.Array) is not { } clients)
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
                c.NotImported(clientPath, "keagitops renders one API client");
                continue;
            }

            if (!c.OnlyKnown(client, clientPath, "user", "password", "password-file", "user-file"))
            {
                continue;
            }

            if (client.TryGetProperty("password", out _))
            {
                // Never echoed: the value stays on the server.
                c.SecretLeftOut(clientPath + ".password", "a password written in the config is not copied into the inventory; put it in a file on the server (mode 0640, owner root, group _kea) and give that file as control-agent.authentication.password-file");
            }

            if (client.TryGetProperty("user-file", out _))
            {
                c.NotImported(clientPath + ".user-file", "keagitops names the user in the inventory");
            }

            if (Text(client, "password-file") is not { } file)
            {
                continue;
            }

            var full = file.StartsWith('/') ? file : $"{(directory ?? "/etc/kea").TrimEnd('/')}/{file}";
            if (file.StartsWith('/') || directory is null)
            {
                c.Note(path + ".directory", $"keagitops renders the password file {full} as directory {Path.GetDirectoryName(full)} and file {Path.GetFileName(full)}");
            }

            var entries = new List<KeyValuePair<string, YamlValue>>();
            if (Text(client, "user") is { } user)
            {
                entries.Add(KeyValuePair.Create("user", YamlValue.String(user)));
            }

            entries.Add(KeyValuePair.Create("password-file", YamlValue.String(full)));
            c.Set("control-agent.authentication", new YamlMap(entries));
        }
    }

    private static void ReadSockets(SectionContext c, JsonElement sockets, string path)
    {
        foreach (var member in sockets.EnumerateObject())
        {
            if (member.Name != "dhcp4")
            {
                c.NotImported($"{path}.{member.Name}", "keagitops manages the DHCPv4 server only");
                continue;
            }

            var socketPath = $"{path}.dhcp4";
            if (!c.OnlyKnown(member.Value, socketPath, "socket-type", "socket-name"))
            {
                continue;
            }

            var name = Text(member.Value, "socket-name") ?? string.Empty;
            var bare = name[(name.LastIndexOf('/') + 1)..];
            var listening = c.SettingText("control-socket.socket-name");
            if (listening is not null && bare != listening)
            {
                c.Note(socketPath + ".socket-name", $"{name} is not the socket kea-dhcp4 listens on ({listening}): the agent could not reach it; keagitops renders {listening} in both");
            }
            else if (name != (c.BareNames ? bare : $"{c.SettingText("kea.socket-directory") ?? KeaConfigReader.DefaultSocketDirectory}/{bare}"))
            {
                c.Note(socketPath + ".socket-name", $"{name} is rendered as kea-dhcp4's control socket, {(c.BareNames ? "by its bare name (Kea 2.6 and 3.0)" : "by its full path (Kea 2.2)")}");
            }
        }
    }
}
