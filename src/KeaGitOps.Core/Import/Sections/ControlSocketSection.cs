using System.Text.Json;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>Dhcp4.control-socket: the unix socket kea-dhcp4 listens on, by the name Kea 2.2 or 3.0 expects.</summary>
internal static class ControlSocketSection
{
    public static void Read(SectionContext c, JsonElement dhcp4, string p)
    {
        if (Member(dhcp4, "control-socket", JsonValueKind.Object) is not { } socket)
        {
            return;
        }

        var path = p + ".control-socket";
        c.KeepKeaKeys(socket, path, (key, value) => c.Set("control-socket." + key, value), ["socket-type", "socket-name"]);
        if (Text(socket, "socket-type") is { } type && type != "unix")
        {
            c.NotImported(path + ".socket-type", $"{type}: keagitops renders a unix socket");
        }

        if (Text(socket, "socket-name") is not { } name)
        {
            return;
        }

        var slash = name.LastIndexOf('/');
        if (slash < 0)
        {
            c.Set("control-socket.socket-name", YamlValue.String(name));
        }
        else if (c.BareNames)
        {
            c.Note(path + ".socket-name", $"{name} becomes {name[(slash + 1)..]} (Kea 3.0 resolves it in its socket directory)");
            c.Set("control-socket.socket-name", YamlValue.String(name[(slash + 1)..]));
        }
        else
        {
            if (name[..slash] != KeaConfigReader.DefaultSocketDirectory)
            {
                c.Set("kea.socket-directory", YamlValue.String(name[..slash]));
            }

            c.Set("control-socket.socket-name", YamlValue.String(name[(slash + 1)..]));
        }
    }
}
