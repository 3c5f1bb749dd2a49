using System.Text.Json.Nodes;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Validation;

/// <summary>
/// Kea's own keys written in the inventory beside the typed ones: rendered where Kea takes them, checked
/// against Kea's key table for kea.version, and refused where keagitops derives the value or where they
/// would put a secret into git. (Real Kea of each version accepts the render/kea-keys fixture:
/// RealKeaAcceptanceTests.)
/// </summary>
public sealed class KeaKeysInInventoryTests
{
    private const string Site = "site.yaml";

    [Fact]
    public void Kea_keys_render_where_Kea_takes_them_merged_with_what_the_template_writes()
    {
        var result = RenderPipeline.Default().Run(RepositoryLayout.Fixture("render/kea-keys"), null, () => null);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));

        var dhcp4 = JsonNode.Parse(result.Servers![0].File(TemplateSet.Dhcp4).Text)!["Dhcp4"]!;
        Assert.Equal("""{"interfaces":["ens3"],"dhcp-socket-type":"raw","re-detect":false}""", dhcp4["interfaces-config"]!.ToJsonString());
        Assert.Equal("""{"enable-multi-threading":true,"thread-pool-size":4,"packet-queue-size":64}""", dhcp4["multi-threading"]!.ToJsonString());
        Assert.Equal(1800, dhcp4["lease-database"]!["lfc-interval"]!.GetValue<int>());
        Assert.Equal(100, dhcp4["lease-database"]!["max-row-errors"]!.GetValue<int>());
        Assert.True(dhcp4["authoritative"]!.GetValue<bool>());
        Assert.Equal(10, dhcp4["expired-leases-processing"]!["reclaim-timer-wait-time"]!.GetValue<int>());

        var ha = dhcp4["hooks-libraries"]![1]!["parameters"]!["high-availability"]![0]!;
        Assert.Equal(30000, ha["sync-timeout"]!.GetValue<int>());
        Assert.True(ha["multi-threading"]!["http-dedicated-listener"]!.GetValue<bool>()); // the template's, kept
        Assert.Equal(4, ha["multi-threading"]!["http-listener-threads"]!.GetValue<int>()); // the inventory's, over the template's 0
        Assert.Equal("kea-a", ha["this-server-name"]!.GetValue<string>());

        var subnet = dhcp4["subnet4"]![0]!;
        Assert.Equal("ens3", subnet["interface"]!.GetValue<string>());
        Assert.Equal("lab", subnet["user-context"]!["site"]!.GetValue<string>());
        Assert.Equal("10.20.0.6", subnet["reservations"]![0]!["next-server"]!.GetValue<string>());
        Assert.Equal(4, subnet["reservations"]![1]!["user-context"]!["rack"]!.GetValue<int>());
    }

    public static TheoryData<string, string, string, string> DerivedKeys() => new()
    {
        // where it is written (a line of the example's site.yaml and what is added below it), the key, where its value comes from
        { "  max-unacked-clients: 5", "  this-server-name: kea-dhcp-1", "this-server-name", "names itself from servers[].name" },
        { "  max-unacked-clients: 5", "  peers: []", "peers", "the HA peers are servers[]" },
        { "valid-lifetime: 86400", "interfaces-config: { interfaces: [eth1] }", "interfaces", "servers[].interfaces" },
        { "valid-lifetime: 86400", "subnet4: []", "subnet4", "written under 'subnets'" },
        { "valid-lifetime: 86400", "user-context: { keagitops: { generator: me } }", "keagitops", "keagitops's provenance" },
        { "valid-lifetime: 86400", "hooks-libraries: [ { library: libdhcp_ha.so } ]", "libdhcp_ha.so", "keagitops loads it itself" },
        { "  port: 8001", "  http-port: 8002", "http-port", "control-agent.port" },
    };

    [Theory]
    [MemberData(nameof(DerivedKeys))]
    public void A_key_keagitops_derives_is_refused_saying_where_its_value_comes_from(string after, string line, string key, string origin)
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace(Site, after + "\n", after + "\n" + line + "\n");

        var result = inventory.Validate();

        var error = result.AssertReportedOnce("KGO101");
        Assert.StartsWith($"'{key}' is not written in the inventory: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(origin, error.Message, StringComparison.Ordinal);
        Assert.Equal(Site, Path.GetFileName(error.Location.File));
    }

    [Fact]
    public void A_Kea_value_of_the_wrong_type_is_located_at_the_value()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Append(Site, "authoritative: \"yes\"\n");

        var result = inventory.Validate();

        var error = result.AssertReported("KGO103", Severity.Error, inventory.At(Site, "authoritative: \"yes\"", "\"yes\""));
        Assert.Contains("Kea 3.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_only_a_newer_Kea_takes_is_refused_for_the_older_version()
    {
        using var inventory = TempInventory.FromFolder(RepositoryLayout.ExampleInventory, "2.2");
        inventory.Replace(Site, "    comment: home LAN\n", "    comment: home LAN\n    evaluate-additional-classes: [voip]\n");

        var result = inventory.Validate();

        var error = result.AssertReportedOnce("KGO101");
        Assert.StartsWith("unknown key 'evaluate-additional-classes' in subnet 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("the keys Kea 2.2 takes here: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("require-client-classes", error.Message, StringComparison.Ordinal);

        inventory.Replace(Site, "version: \"2.2\"", "version: \"3.0\"");
        inventory.Validate().AssertNotReported("KGO101");
    }

    [Fact]
    public void A_secret_anywhere_in_a_Kea_value_is_refused()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Append(Site, "hooks-libraries:\n  - library: libdhcp_radius.so\n    parameters: { servers: [ { name: r1, secret: hunter2 } ] }\n");

        var result = inventory.Validate();

        result.AssertReported("KGO105", Severity.Error, inventory.At(Site, "secret: hunter2", "secret"));
    }

    [Fact]
    public void Loggers_and_logging_together_are_one_setting_written_twice()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Append(Site, "logging: { severity: WARN }\nloggers: [ { name: kea-dhcp4, severity: INFO } ]\n");

        var result = inventory.Validate();

        result.AssertReported("KGO106", Severity.Error, inventory.At(Site, "loggers: [", "loggers"));
    }
}
