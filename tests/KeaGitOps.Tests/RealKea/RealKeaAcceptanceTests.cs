using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.RealKea;

/// <summary>
/// Every rendered example and fixture, rendered for each Kea version keagitops targets (2.2, 2.6, 3.0),
/// must be accepted by the real Kea of that version: kea-dhcp4 -t (and -T on 2.6 and 3.0, which loads
/// the hooks and runs the HA hook's own checks), and kea-ctrl-agent -t. A rejection fails with Kea's
/// own message.
/// </summary>
public sealed class RealKeaAcceptanceTests
{
    public static TheoryData<string, string> Inventories()
    {
        var data = new TheoryData<string, string>();
        foreach (var version in KeaInstallation.Versions)
        {
            data.Add("inventory", version);
            foreach (var fixture in new[] { "render/hostile-strings", "render/hot-standby", "render/multi-subnet", "render/kea-keys", "render/shared-networks", "render/per-server", "render/option-defs", "render/ha-without-mt" })
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
    [InlineData("2.6")]
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

    /// <summary>
    /// Each version's syntax is its own: the example rendered for one version is refused by the version
    /// that lacks its syntax, with Kea's own words. 2.6 refuses 3.0's client-classes list in a pool,
    /// 2.2 refuses 2.6's output-options (and bare hook names); so a render for the wrong version cannot pass.
    /// </summary>
    [Theory]
    [InlineData("3.0", "2.6", "client-classes")]
    [InlineData("2.6", "2.2", "output-options")]
    public void A_render_for_a_newer_Kea_is_refused_by_an_older_one(string renderedFor, string checkedBy, string refused)
    {
        using var copy = TempInventory.FromFolder(RepositoryLayout.ExampleInventory, renderedFor);
        var result = RenderPipeline.Default(copy.Folder).Run(copy.Folder, null, () => null);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));

        var check = KeaInstallation.For(checkedBy).CheckDhcp4(result.Servers![0].File(TemplateSet.Dhcp4).Text);

        Assert.False(check.Passed, $"Kea {checkedBy} accepted a render for {renderedFor}:\n{check.Output}");
        Assert.Contains(refused, check.Output, StringComparison.Ordinal);
    }

    /// <summary>What import's version reading rests on: 2.6 and 3.0 refuse a subnet without an id, 2.2 numbers it.</summary>
    [Theory]
    [InlineData("3.0", false)]
    [InlineData("2.6", false)]
    [InlineData("2.2", true)]
    public void Only_Kea_2_2_takes_a_subnet_without_an_id(string version, bool accepted)
    {
        const string config = """{ "Dhcp4": { "subnet4": [ { "subnet": "10.0.0.0/24" } ] } }""";

        var result = KeaInstallation.For(version).CheckDhcp4(config);

        Assert.True(result.Passed == accepted, $"Kea {version} -t (exit {result.ExitCode}):\n{result.Output}");
    }

    /// <summary>
    /// Why 2.6 gets no -T (<see cref="KeaInstallation.HasDeepCheck"/>): its -T refuses any config with the
    /// HA hook's dedicated listener. When Debian ships a 2.6 that fixes it, this fails: then check 2.6 with -T too.
    /// </summary>
    [Fact]
    public void Kea_2_6_deep_check_refuses_the_HA_dedicated_listener()
    {
        using var copy = TempInventory.FromFolder(RepositoryLayout.ExampleInventory, "2.6");
        var result = RenderPipeline.Default(copy.Folder).Run(copy.Folder, null, () => null);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));

        var check = KeaInstallation.For("2.6").CheckDhcp4(result.Servers![0].File(TemplateSet.Dhcp4).Text, deep: true);

        Assert.False(check.Passed, check.Output);
        Assert.Contains("CmdHttpListener cannot be started when multi-threading is disabled", check.Output, StringComparison.Ordinal);
    }

    /// <summary>A missing root fails the tests with the command that builds it: never a skip.</summary>
    [Fact]
    public void A_missing_Kea_root_is_a_failure_that_names_the_script()
    {
        using var empty = new ScratchFolder();
        Directory.CreateDirectory(empty.Path);

        var error = Assert.Throws<InvalidOperationException>(() => KeaInstallation.InRoot("2.6", empty.Path));

        Assert.Contains($"Kea 2.6 root not found at {empty.Path}: run scripts/make-kea-root.sh 2.6", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A root of another version proves nothing about this one: refused, not used.</summary>
    [Fact]
    public void A_root_holding_another_Kea_version_is_refused()
    {
        var kea3 = KeaInstallation.For("3.0").Root!;

        var error = Assert.Throws<InvalidOperationException>(() => KeaInstallation.InRoot("2.6", kea3));

        Assert.Contains("not Kea 2.6", error.Message, StringComparison.Ordinal);
    }

    private static void AssertPassed(KeaCheckResult result, string what) =>
        Assert.True(result.Passed, $"{what} failed (exit {result.ExitCode}):\n{result.Output}");
}
