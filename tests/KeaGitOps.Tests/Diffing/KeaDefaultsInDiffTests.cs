using System.Text;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Core.Sources;

namespace KeaGitOps.Tests.Diffing;

/// <summary>
/// A key one side writes and the other leaves out is no change when its value is what Kea uses anyway
/// (Kea's default tables, per version); diff --exact still shows it.
/// </summary>
public sealed class KeaDefaultsInDiffTests
{
    private const string Rendered = """
        { "Dhcp4": {
          "interfaces-config": { "interfaces": [ "eth0" ] },
          "hooks-libraries": [ { "library": "libdhcp_ha.so", "parameters": { "high-availability": [ { "this-server-name": "a", "mode": "load-balancing" } ] } } ],
          "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24", "option-data": [ { "name": "routers", "data": "10.0.0.1" } ] } ] } }
        """;

    private static ConfigComparison Compare(string live, KeaVersion version) =>
        ConfigComparison.Of(new RenderedFile(TemplateSet.Dhcp4, Encoding.UTF8.GetBytes(Rendered)), "/etc/kea/kea-dhcp4.conf", Encoding.UTF8.GetBytes(live), FileSystemPaths.LocalRoot(), version);

    [Fact]
    public void Keas_defaults_written_out_on_the_server_are_no_change()
    {
        var live = Rendered
            .Replace("\"interfaces\": [ \"eth0\" ]", "\"interfaces\": [ \"eth0\" ], \"dhcp-socket-type\": \"raw\"", StringComparison.Ordinal)
            .Replace("\"mode\": \"load-balancing\"", "\"mode\": \"load-balancing\", \"sync-timeout\": 60000", StringComparison.Ordinal)
            .Replace("\"subnet\": \"10.0.0.0/24\",", "\"subnet\": \"10.0.0.0/24\", \"reservations\": [],", StringComparison.Ordinal)
            .Replace("\"data\": \"10.0.0.1\"", "\"data\": \"10.0.0.1\", \"always-send\": false", StringComparison.Ordinal);
        using var comparison = Compare(live, KeaVersion.V3_0);

        Assert.Equal(LiveStatus.Unchanged, comparison.Status);
        Assert.Equal(
            ["Dhcp4.interfaces-config.dhcp-socket-type", "Dhcp4.hooks-libraries[0].parameters.high-availability[0].sync-timeout", "Dhcp4.subnet4[id=1].reservations", "Dhcp4.subnet4[id=1].option-data[routers].always-send"],
            comparison.DefaultsOnly.Select(c => c.Path));
    }

    [Fact]
    public void A_hook_library_with_an_empty_parameters_map_is_no_change_but_one_with_a_parameter_is()
    {
        var rendered = Rendered.Replace("\"hooks-libraries\": [ ", "\"hooks-libraries\": [ { \"library\": \"libdhcp_lease_cmds.so\" }, ", StringComparison.Ordinal);
        ConfigComparison With(string parameters) => ConfigComparison.Of(new RenderedFile(TemplateSet.Dhcp4, Encoding.UTF8.GetBytes(rendered)), "/etc/kea/kea-dhcp4.conf",
            Encoding.UTF8.GetBytes(rendered.Replace("{ \"library\": \"libdhcp_lease_cmds.so\" }", $"{{ \"library\": \"libdhcp_lease_cmds.so\", \"parameters\": {parameters} }}", StringComparison.Ordinal)),
            FileSystemPaths.LocalRoot(), KeaVersion.V3_0);

        using var empty = With("{ }");
        using var filled = With("{ \"binding-variables\": [] }");

        Assert.Equal(LiveStatus.Unchanged, empty.Status);
        Assert.Equal("Dhcp4.hooks-libraries[0].parameters", Assert.Single(empty.DefaultsOnly).Path);
        Assert.Equal(LiveStatus.Changed, filled.Status);
    }

    [Fact]
    public void A_value_other_than_the_default_is_a_change()
    {
        var live = Rendered.Replace("\"mode\": \"load-balancing\"", "\"mode\": \"load-balancing\", \"sync-timeout\": 30000", StringComparison.Ordinal);
        using var comparison = Compare(live, KeaVersion.V3_0);

        Assert.Equal(LiveStatus.Changed, comparison.Status);
        Assert.Equal("Dhcp4.hooks-libraries[0].parameters.high-availability[0].sync-timeout", Assert.Single(comparison.Changes).Path);
    }

    [Fact]
    public void A_default_that_differs_between_versions_counts_for_the_version_rendered_for()
    {
        // Kea 3.0's HA hook restricts commands by default, 2.6's does not.
        var live = Rendered.Replace("\"mode\": \"load-balancing\"", "\"mode\": \"load-balancing\", \"restrict-commands\": true", StringComparison.Ordinal);

        using var for30 = Compare(live, KeaVersion.V3_0);
        using var for26 = Compare(live, KeaVersion.V2_6);

        Assert.Equal(LiveStatus.Unchanged, for30.Status);
        Assert.Equal(LiveStatus.Changed, for26.Status);
    }

    [Fact]
    public void A_subnet_key_left_out_inherits_and_is_never_taken_for_a_default()
    {
        // valid-lifetime 7200 is Kea's global default, but a subnet without it inherits the global value.
        var live = Rendered.Replace("\"subnet\": \"10.0.0.0/24\",", "\"subnet\": \"10.0.0.0/24\", \"valid-lifetime\": 7200,", StringComparison.Ordinal);
        using var comparison = Compare(live, KeaVersion.V3_0);

        Assert.Equal(LiveStatus.Changed, comparison.Status);
    }
}
