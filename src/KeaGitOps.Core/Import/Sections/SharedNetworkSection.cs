using System.Text.Json;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>One entry of Dhcp4.shared-networks: its name, timers, options and Kea keys, then its subnets (each naming the network).</summary>
internal static class SharedNetworkSection
{
    public static void Read(SectionContext c, JsonElement network, string path)
    {
        var settings = new List<Setting>();
        if (!c.KeepKeaKeys(network, path, (key, value) => settings.Add(new Setting(key, value)), ["name", "renew-timer", "rebind-timer", "valid-lifetime", "option-data", "subnet4"]))
        {
            return;
        }

        if (Text(network, "name") is not { Length: > 0 } name)
        {
            c.NotImported(path, $"a shared network without a name (Kea refuses one) with {Holding(network)}");
            return;
        }

        if (c.Snapshot.SharedNetworks.Exists(n => n.Name == name))
        {
            c.NotImported(path, $"a second shared network named {name} (Kea refuses a name used twice) with {Holding(network)}");
            return;
        }

        settings.InsertRange(0, [.. TimersSection.Read(network), .. OptionDataSection.Read(c, network, path, string.Empty)]);
        c.Snapshot.SharedNetworks.Add(new ImportedSharedNetwork(name, settings));
        if (Member(network, "subnet4", JsonValueKind.Array) is { } subnets)
        {
            var i = 0;
            foreach (var subnet in subnets.EnumerateArray())
            {
                SubnetSection.Read(c, subnet, $"{path}.subnet4[{i++}]", name);
            }
        }
    }

    /// <summary>What a network left out holds, counted: its subnets and their reservations.</summary>
    private static string Holding(JsonElement network)
    {
        var subnets = Member(network, "subnet4", JsonValueKind.Array)?.EnumerateArray().ToList() ?? [];
        var reservations = subnets.Sum(s => Member(s, "reservations", JsonValueKind.Array)?.GetArrayLength() ?? 0);
        return $"{subnets.Count} subnet(s) and {reservations} reservation(s)";
    }
}
