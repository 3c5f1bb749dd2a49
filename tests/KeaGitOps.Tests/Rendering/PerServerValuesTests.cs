using System.Text.Json;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Rendering;

/// <summary>
/// Kea keys one server declares as its own (servers[].dhcp4, .high-availability, .control-agent) reach that
/// server's configs only, merged with the pair's; what the pair must agree on is refused there; and the pair
/// invariant still refuses any other difference.
/// </summary>
public sealed class PerServerValuesTests
{
    private const string Site = "site.yaml";

    private static TempInventory Example(string server1, string server2)
    {
        var inventory = TempInventory.FromExample();
        inventory.Replace(Site, "    role: primary\n    interfaces: [eth0]\n", "    role: primary\n    interfaces: [eth0]\n" + server1);
        inventory.Replace(Site, "    role: secondary\n    interfaces: [eth0]\n", "    role: secondary\n    interfaces: [eth0]\n" + server2);
        return inventory;
    }

    private static (JsonDocument First, JsonDocument Second) Render(TempInventory inventory, string file = TemplateSet.Dhcp4)
    {
        var result = RenderPipeline.Default(inventory.Folder).Run(inventory.Folder, null, () => null);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return (JsonDocument.Parse(result.Servers![0].File(file).Text), JsonDocument.Parse(result.Servers[1].File(file).Text));
    }

    private static JsonElement Relationship(JsonDocument config) =>
        config.RootElement.GetProperty("Dhcp4").GetProperty("hooks-libraries").EnumerateArray()
            .First(h => h.TryGetProperty("parameters", out _)).GetProperty("parameters").GetProperty("high-availability")[0];

    [Fact]
    public void Each_servers_own_keys_reach_its_config_only_merged_with_the_pairs()
    {
        using var inventory = Example(
            "    dhcp4: { dhcp-ddns: { sender-ip: 192.168.1.133 }, server-tag: kea1 }\n    high-availability: { cert-file: /etc/kea/kea1.crt, key-file: /etc/kea/kea1.key }\n",
            "    dhcp4: { dhcp-ddns: { sender-ip: 192.168.1.134 }, server-tag: kea2 }\n    control-agent: { host: 192.168.1.134, cert-required: false }\n");
        inventory.Replace(Site, "renew-timer: 43200", "dhcp-ddns: { enable-updates: true, server-ip: 192.168.1.10 }\nrenew-timer: 43200");

        var (first, second) = Render(inventory);
        using (first)
        using (second)
        {
            var ddns1 = first.RootElement.GetProperty("Dhcp4").GetProperty("dhcp-ddns");
            var ddns2 = second.RootElement.GetProperty("Dhcp4").GetProperty("dhcp-ddns");
            Assert.Equal(("192.168.1.133", "192.168.1.134"), (ddns1.GetProperty("sender-ip").GetString(), ddns2.GetProperty("sender-ip").GetString()));
            Assert.True(ddns1.GetProperty("enable-updates").GetBoolean() && ddns2.GetProperty("enable-updates").GetBoolean(), "the pair's dhcp-ddns stays under each server's own");
            Assert.Equal("kea2", second.RootElement.GetProperty("Dhcp4").GetProperty("server-tag").GetString());
            Assert.Equal("/etc/kea/kea1.crt", Relationship(first).GetProperty("cert-file").GetString());
            Assert.False(Relationship(second).TryGetProperty("cert-file", out _));
        }

        var (agent1, agent2) = Render(inventory, TemplateSet.ControlAgent);
        using (agent1)
        using (agent2)
        {
            Assert.False(agent2.RootElement.GetProperty("Control-agent").GetProperty("cert-required").GetBoolean());
            Assert.False(agent1.RootElement.GetProperty("Control-agent").TryGetProperty("cert-required", out _));
        }
    }

    [Fact]
    public void What_the_pair_must_agree_on_is_refused_as_one_servers_own_and_typos_get_did_you_mean()
    {
        using var inventory = Example(
            "    dhcp4: { option-data: [], server-tagg: kea1 }\n",
            "    high-availability: { heartbeat-delay: 5000, cert-file: /etc/kea/kea2.crt }\n");

        var result = inventory.Validate();

        var refused = result.Diagnostics.Where(d => d.Code == "KGO101").Select(d => d.Message).ToList();
        Assert.Contains(refused, m => m.StartsWith("'option-data' cannot be one server's own (both servers must give clients the same options)", StringComparison.Ordinal));
        Assert.Contains(refused, m => m.StartsWith("'heartbeat-delay' cannot be one server's own (the peers of a relationship must agree on it", StringComparison.Ordinal));
        Assert.Contains(refused, m => m.Contains("'server-tagg' in servers[].dhcp4 (did you mean 'server-tag'?)", StringComparison.Ordinal));
        Assert.DoesNotContain(refused, m => m.StartsWith("'cert-file'", StringComparison.Ordinal));
        Assert.Equal(3, refused.Count);
    }
}
