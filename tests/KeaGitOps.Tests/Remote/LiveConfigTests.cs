using System.Text;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Remote.Deploy;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Remote;

/// <summary>What a live config says about where it came from, and whether someone edited it since.</summary>
public sealed class LiveConfigTests
{
    private static string RenderedDhcp4()
    {
        var result = RenderPipeline.Default(RepositoryLayout.Root).Run(RepositoryLayout.ExampleInventory, null, () => new SourceRevision("0123456789abcdef", Dirty: false));
        Assert.True(result.Succeeded);
        return result.Servers![0].File(TemplateSet.Dhcp4).Text;
    }

    [Fact]
    public void A_config_as_rendered_names_its_commit_and_is_not_edited()
    {
        Assert.Equal("rendered from 0123456789abcdef, not edited since", LiveConfig.Origin(Encoding.UTF8.GetBytes(RenderedDhcp4())));
    }

    [Fact]
    public void Comments_and_layout_added_by_hand_are_not_edits_but_a_changed_setting_is()
    {
        var rendered = RenderedDhcp4();
        var reformatted = "# a comment Kea ignores\n" + rendered.Replace("\n  ", "\n\t  ", StringComparison.Ordinal);
        var edited = rendered.Replace("\"valid-lifetime\": 86400", "\"valid-lifetime\": 600", StringComparison.Ordinal);

        Assert.EndsWith("not edited since", LiveConfig.Origin(Encoding.UTF8.GetBytes(reformatted)), StringComparison.Ordinal);
        Assert.EndsWith("EDITED BY HAND since", LiveConfig.Origin(Encoding.UTF8.GetBytes(edited)), StringComparison.Ordinal);
        Assert.Null(LiveConfig.Origin(Encoding.UTF8.GetBytes("""{ "Dhcp4": { "valid-lifetime": 600 } }""")));
    }
}
