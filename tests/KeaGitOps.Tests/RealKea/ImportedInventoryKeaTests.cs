using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.RealKea;

/// <summary>The inventory imported from the user's two drifted configs renders configs that real Kea 3.0, 2.6 and 2.2 accept.</summary>
public sealed class ImportedInventoryKeaTests
{
    [Theory]
    [InlineData("3.0")]
    [InlineData("2.6")]
    [InlineData("2.2")]
    public void The_imported_report_configs_render_to_configs_real_Kea_accepts(string version)
    {
        var fixtures = RepositoryLayout.Fixture("import/report");
        using var imported = new ScratchFolder();
        var code = ImportCommand.Run([$"kea-dhcp-1={fixtures}/kea-dhcp-1.conf", $"kea-dhcp-2={fixtures}/kea-dhcp-2.conf"], new DirectoryInfo(imported.Path), null, strict: false, TextWriter.Null);
        Assert.Equal(ExitCodes.Success, code);
        using var copy = TempInventory.FromFolder(imported.Path, version);
        var result = RenderPipeline.Default(copy.Folder).Run(copy.Folder, null, () => null);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));

        var kea = KeaInstallation.For(version);
        foreach (var server in result.Servers!)
        {
            var check = kea.CheckDhcp4(server.File(TemplateSet.Dhcp4).Text, deep: kea.HasDeepCheck);
            Assert.True(check.Passed, $"kea-dhcp4 {version} on {server.Name}'s imported config:\n{check.Output}");
        }
    }
}
