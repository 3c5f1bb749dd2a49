using System.Text;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Sources;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Diffing;

/// <summary>What a live config says about where it came from, and whether someone edited it since.</summary>
public sealed class KeaConfigTests
{
    private static string RenderedDhcp4()
    {
        var result = RenderPipeline.Default(RepositoryLayout.Root).Run(RepositoryLayout.ExampleInventory, null, () => new SourceRevision("0123456789abcdef", Dirty: false));
        Assert.True(result.Succeeded);
        return result.Servers![0].File(TemplateSet.Dhcp4).Text;
    }

    /// <summary>What diff says of a live file's origin, read as a server file is read.</summary>
    private static string? Origin(string live)
    {
        using var read = KeaConfig.Parse(Encoding.UTF8.GetBytes(live), "/etc/kea/kea-dhcp4.conf", FileSystemPaths.LocalRoot());
        Assert.NotNull(read.Config);
        return read.Config.DescribeOrigin();
    }

    [Fact]
    public void A_config_as_rendered_names_its_commit_and_is_not_edited()
    {
        Assert.Equal("rendered from 0123456789abcdef, not edited since", Origin(RenderedDhcp4()));
    }

    [Fact]
    public void Comments_and_layout_added_by_hand_are_not_edits_but_a_changed_setting_is()
    {
        var rendered = RenderedDhcp4();
        var reformatted = "# a comment Kea ignores\n" + rendered.Replace("\n  ", "\n\t  ", StringComparison.Ordinal);
        var edited = rendered.Replace("\"valid-lifetime\": 86400", "\"valid-lifetime\": 600", StringComparison.Ordinal);

        Assert.EndsWith("not edited since", Origin(reformatted), StringComparison.Ordinal);
        Assert.EndsWith("EDITED BY HAND since", Origin(edited), StringComparison.Ordinal);
        Assert.Null(Origin("""{ "Dhcp4": { "valid-lifetime": 600 } }"""));
    }

    private static KeaConfig Live(string text)
    {
        var read = KeaConfig.Parse(Encoding.UTF8.GetBytes(text), "/etc/kea/kea-dhcp4.conf", FileSystemPaths.LocalRoot());
        Assert.NotNull(read.Config);
        return read.Config;
    }

    [Fact]
    public void Only_the_top_level_provenance_is_left_out_of_the_changes()
    {
        using var rendered = Live("""{ "Dhcp4": { "user-context": { "keagitops": { "source-commit": "aaa" } }, "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24" } ] } }""");
        using var newCommit = Live("""{ "Dhcp4": { "user-context": { "keagitops": { "source-commit": "bbb" } }, "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24" } ] } }""");
        using var noProvenance = Live("""{ "Dhcp4": { "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24" } ] } }""");
        using var subnetEdit = Live("""{ "Dhcp4": { "user-context": { "keagitops": { "source-commit": "aaa" } }, "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24", "user-context": { "keagitops": "hand edit" } } ] } }""");
        using var otherContext = Live("""{ "Dhcp4": { "user-context": { "keagitops": { "source-commit": "aaa" }, "site": "lab" }, "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24" } ] } }""");

        Assert.Empty(newCommit.ChangesTo(rendered));
        Assert.Empty(noProvenance.ChangesTo(rendered));
        Assert.Empty(rendered.ChangesTo(noProvenance));
        var change = Assert.Single(subnetEdit.ChangesTo(rendered));
        Assert.Equal("Dhcp4.subnet4[id=1].user-context", change.Path);
        Assert.Equal("Dhcp4.user-context.site", Assert.Single(otherContext.ChangesTo(rendered)).Path);
        Assert.NotEqual(rendered.SettingsDigest, subnetEdit.SettingsDigest);
        Assert.Equal(rendered.SettingsDigest, newCommit.SettingsDigest);
    }
}
