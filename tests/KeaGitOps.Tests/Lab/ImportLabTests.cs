using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Validation;
using KeaGitOps.Tests.Support;
using Xunit.Abstractions;

namespace KeaGitOps.Tests.Lab;

/// <summary>keagitops import --from-servers against the lab: the live configs, read over SSH, become a valid inventory.</summary>
[Collection(LabCollection.Name)]
public sealed class ImportLabTests(LabFixture lab, ITestOutputHelper output)
{
    [Fact]
    public async Task Importing_the_live_servers_over_SSH_writes_an_inventory_that_validates()
    {
        using var inventory = lab.CreateLabInventory();
        using var target = new ScratchFolder();
        var console = new StringWriter();

        var code = await ImportCommand.RunFromServersAsync(new DirectoryInfo(inventory.Folder), new DirectoryInfo(target.Path), null, strict: false, console, CancellationToken.None);

        output.WriteLine(console.ToString());
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains($"kea-dhcp-1:/etc/kea/kea-dhcp4.conf", console.ToString(), StringComparison.Ordinal);
        var site = await File.ReadAllTextAsync(Path.Combine(target.Path, "site.yaml"));
        Assert.Contains(LabFixture.Address(LabFixture.Server1), site, StringComparison.Ordinal);
        Assert.Contains(LabFixture.Address(LabFixture.Server2), site, StringComparison.Ordinal);
        var validation = new InventoryValidator(SchemaValidator.BuiltIn, InventoryValidator.DefaultRules, new InventoryLoader(target.Path)).Validate(target.Path);
        Assert.False(validation.HasErrors, string.Join("\n", validation.Diagnostics));
    }
}
