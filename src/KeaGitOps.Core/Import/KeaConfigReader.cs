using System.Text.Json;
using KeaGitOps.Core.Import.Sections;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Kea;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import;

/// <summary>
/// Maps one server's parsed kea-dhcp4.conf (and kea-ctrl-agent.conf) to inventory terms, one section reader
/// per part of the config (Import/Sections). Pure: the caller reads and parses the files. Every key it does
/// not map is recorded by JSON path in <see cref="ServerSnapshot.Notes"/>: nothing is dropped silently.
/// </summary>
public static class KeaConfigReader
{
    public const string DefaultHooksDirectory = "/usr/lib/x86_64-linux-gnu/kea/hooks";
    public const string DefaultSocketDirectory = "/run/kea";

    /// <summary>kea-ctrl-agent.conf's object; report entries about that file start with it.</summary>
    internal const string AgentPath = "Control-agent";

    /// <summary>The Control Agent's realm as keagitops renders it.</summary>
    public const string AgentRealm = "kea-control-agent";

    /// <param name="agent">the server's parsed kea-ctrl-agent.conf, or null when it has none.</param>
    public static ServerSnapshot Read(string serverName, JsonElement root, JsonElement? agent = null)
    {
        var snapshot = new ServerSnapshot { Name = serverName, HasAgentConfig = agent is not null };
        var context = new SectionContext(snapshot);
        ReadDhcp4(context, root);
        if (agent is { } agentRoot)
        {
            context.File = KeaConfigFile.ControlAgent;
            ControlAgentSection.Read(context, agentRoot);
        }

        return snapshot;
    }

    private static void ReadDhcp4(SectionContext c, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Dhcp4", out var dhcp4) || dhcp4.ValueKind != JsonValueKind.Object)
        {
            c.NotImported("$", "not a Kea DHCPv4 configuration (no Dhcp4 object)");
            return;
        }

        foreach (var other in root.EnumerateObject().Where(m => m.Name != "Dhcp4"))
        {
            // kea-dhcp4 reads its own object only (a file shared with Dhcp6 or DhcpDdns, an old Logging object).
            c.IgnoredByKea($"$.{other.Name}", "a top-level key kea-dhcp4 does not read");
        }

        const string P = "Dhcp4";
        c.KeepKeaKeys(dhcp4, P, c.Set, ["interfaces-config", "control-socket", "lease-database", "renew-timer", "rebind-timer", "valid-lifetime",
            "multi-threading", "hooks-libraries", "option-data", "subnet4", "loggers", "user-context", "control-sockets", "client-classes", "shared-networks"]);
        c.Version = KeaVersionSection.Read(c, dhcp4);
        c.BareNames = c.Version.TakesBareNames();
        ReadOptionDefinitions(c, dhcp4);

        if (dhcp4.TryGetProperty("interfaces-config", out var interfaces))
        {
            if (c.KeepKeaKeys(interfaces, P + ".interfaces-config", (key, value) => c.Set("interfaces-config." + key, value), ["interfaces"])
                && Member(interfaces, "interfaces", JsonValueKind.Array) is { } list)
            {
                c.Snapshot.Interfaces.AddRange(list.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!));
            }
        }

        HooksSection.Read(c, dhcp4, P);
        ClientClassesSection.Read(c, dhcp4, P);
        ControlSocketSection.Read(c, dhcp4, P);
        LeaseDatabaseSection.Read(c, dhcp4, P);
        LoggersSection.Read(c, dhcp4, P);
        MultiThreadingSection.Read(c, dhcp4, P);
        c.Snapshot.Settings.AddRange(TimersSection.Read(dhcp4));
        c.Snapshot.Settings.AddRange(OptionDataSection.Read(c, dhcp4, P, string.Empty));
        UserContextSection.Read(c, dhcp4, P, string.Empty);

        if (Member(dhcp4, "shared-networks", JsonValueKind.Array) is { } shared
            && shared.EnumerateArray().Any(n => n.ValueKind == JsonValueKind.Object && Member(n, "subnet4", JsonValueKind.Array) is { } inner && inner.GetArrayLength() > 0))
        {
            // Kea 2.2 numbers the subnets of shared networks too; in which order against subnet4 is not checked.
            c.SharedNetworksHaveSubnets = true;
        }

        if (Member(dhcp4, "subnet4", JsonValueKind.Array) is { } subnets)
        {
            var i = 0;
            foreach (var subnet in subnets.EnumerateArray())
            {
                SubnetSection.Read(c, subnet, $"{P}.subnet4[{i++}]", network: null);
            }
        }

        if (Member(dhcp4, "shared-networks", JsonValueKind.Array) is { } networks)
        {
            var i = 0;
            foreach (var network in networks.EnumerateArray())
            {
                SharedNetworkSection.Read(c, network, $"{P}.shared-networks[{i++}]");
            }
        }
    }

    private static void ReadOptionDefinitions(SectionContext c, JsonElement dhcp4)
    {
        if (Member(dhcp4, "option-def", JsonValueKind.Array) is { } definitions)
        {
            foreach (var definition in definitions.EnumerateArray())
            {
                var space = Text(definition, "space") ?? KeaDefaults.OptionSpace;
                c.DefinedOptions.Add($"{space}/{Text(definition, "name")}");
                if (SectionContext.Integer(definition, "code") is { } code && Text(definition, "name") is { } name)
                {
                    c.DefinedCodes.TryAdd($"{space}/{code}", name);
                }
            }
        }
    }
}
