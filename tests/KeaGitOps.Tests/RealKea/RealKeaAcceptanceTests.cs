using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.RealKea;

/// <summary>
/// Every rendered example and fixture, rendered for Kea 3.0 and 2.2, must be accepted by the real Kea
/// of that version: kea-dhcp4 -t (and -T on 3.0, which loads the hooks and runs the HA hook's own
/// checks), and kea-ctrl-agent -t. A rejection fails with Kea's own message.
/// </summary>
public sealed class RealKeaAcceptanceTests
{
    public static TheoryData<string, string> Inventories()
    {
        var data = new TheoryData<string, string>();
        foreach (var version in new[] { "3.0", "2.2" })
        {
            data.Add("inventory", version);
            foreach (var fixture in new[] { "render/hostile-strings", "render/hot-standby", "render/multi-subnet" })
            {
                data.Add(fixture, version);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inventories))]
    public void Rendered_configs_pass_the_real_Kea_config_checks(string inventory, string version)
    {
        var kea = KeaInstallation.For(version);
        var source = inventory == "inventory" ? RepositoryLayout.ExampleInventory : RepositoryLayout.Fixture(inventory);
        using var copy = TempInventory.FromFolder(source, version);
        var result = RenderPipeline.Default(copy.Folder).Run(copy.Folder, null, () => null);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));

        foreach (var server in result.Servers!)
        {
            var dhcp4 = server.File(TemplateSet.Dhcp4).Text;
            AssertPassed(kea.CheckDhcp4(dhcp4), $"kea-dhcp4 {kea.Version} -t, {inventory}, {server.Name}");
            if (kea.HasDeepCheck)
            {
                AssertPassed(kea.CheckDhcp4(dhcp4, deep: true), $"kea-dhcp4 {kea.Version} -T, {inventory}, {server.Name}");
            }

            AssertPassed(kea.CheckControlAgent(server.File(TemplateSet.ControlAgent).Text), $"kea-ctrl-agent {kea.Version} -t, {inventory}, {server.Name}");
        }
    }

    /// <summary>Proves the harness can fail: Kea's own refusal of a duplicate reservation reaches the test.</summary>
    [Theory]
    [InlineData("3.0")]
    [InlineData("2.2")]
    public void The_real_Kea_check_rejects_a_config_that_reserves_one_address_twice(string version)
    {
        const string config = """
            { "Dhcp4": { "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24", "reservations": [
              { "hw-address": "aa:bb:cc:dd:ee:01", "ip-address": "10.0.0.5" },
              { "hw-address": "aa:bb:cc:dd:ee:02", "ip-address": "10.0.0.5" } ] } ] } }
            """;

        var result = KeaInstallation.For(version).CheckDhcp4(config);

        Assert.False(result.Passed);
        Assert.Contains("already a reservation for this address", result.Output, StringComparison.Ordinal);
    }

    private static void AssertPassed(KeaCheckResult result, string what) =>
        Assert.True(result.Passed, $"{what} failed (exit {result.ExitCode}):\n{result.Output}");
}
