using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Rendering;

/// <summary>
/// The rendered configs of the example and of the fixtures, approved in Golden/render/. A change to a
/// template or to rendering shows up here as a reviewable diff; KEAGITOPS_UPDATE_GOLDEN=1 rewrites them.
/// </summary>
public sealed class RenderedGoldenTests
{
    [Theory]
    [InlineData("inventory", "example")]
    [InlineData("render/hot-standby", "hot-standby")]
    [InlineData("render/multi-subnet", "multi-subnet")]
    [InlineData("render/hostile-strings", "hostile-strings")]
    [InlineData("render/shared-networks", "shared-networks")]
    public void Rendered_configs_match_the_approved_files(string inventory, string golden)
    {
        var folder = inventory == "inventory" ? RepositoryLayout.ExampleInventory : RepositoryLayout.Fixture(inventory);

        var result = RenderPipeline.Default(folder).Run(folder, null, () => null);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        foreach (var server in result.Servers!)
        {
            foreach (var file in server.Files)
            {
                Golden.Assert($"render/{golden}/{server.Name}/{file.Name}", file.Text);
            }
        }
    }
}
