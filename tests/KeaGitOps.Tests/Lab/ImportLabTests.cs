using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Validation;
using KeaGitOps.Remote.Ssh;
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

    [Fact]
    public async Task Importing_servers_named_on_the_command_line_keeps_their_SSH_settings_for_deploy()
    {
        using var target = new ScratchFolder();
        var console = new StringWriter();
        var servers = LabFixture.Servers.Select(s => $"{s}=root@{LabFixture.Address(s)}:22").ToList();
        var options = new ImportCommand.HostOptions(servers, new FileInfo(lab.ClientKeyPath), new FileInfo(lab.KnownHostsPath), "/etc/kea");

        var code = await ImportCommand.RunFromHostsAsync(options, new DirectoryInfo(target.Path), null, strict: false, console, CancellationToken.None);

        output.WriteLine(console.ToString());
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("- kea-dhcp-2: kea-dhcp-2:/etc/kea/kea-dhcp4.conf and kea-dhcp-2:/etc/kea/kea-ctrl-agent.conf", console.ToString(), StringComparison.Ordinal);
        var validation = new InventoryValidator(SchemaValidator.BuiltIn, InventoryValidator.DefaultRules, new InventoryLoader(target.Path)).Validate(target.Path);
        Assert.False(validation.HasErrors, string.Join("\n", validation.Diagnostics));

        // deploy reaches each server as import did: same host, user, key and known_hosts.
        var model = validation.Model!;
        foreach (var server in model.Servers)
        {
            var endpoint = SshSettingsResolver.Endpoint(model, server, target.Path);
            Assert.Equal((LabFixture.Address(server.Name), 22, "root", lab.ClientKeyPath), (endpoint.Host, endpoint.Port, endpoint.User, endpoint.KeyFile));
            Assert.Equal(lab.KnownHostsPath, SshSettingsResolver.KnownHostsFile(model, server, target.Path));
        }
    }

    [Fact]
    public async Task A_config_whose_own_HA_address_is_not_on_the_server_is_named_from_the_servers_own_addresses()
    {
        // A copy of each live config (in the server's private /tmp) in which kea-dhcp-2's peer URL
        // names an address it does not have: the incident's kind of fault, seen from the host.
        const string Drift = "/tmp/keagitops-import-drift";
        foreach (var server in LabFixture.Servers)
        {
            var copy = lab.RunOnServer(server, $"mkdir -p {Drift} && cp /etc/kea/kea-dhcp4.conf /etc/kea/kea-ctrl-agent.conf {Drift}/ && sed -i 's|http://{LabFixture.Address(LabFixture.Server2)}:|http://198.51.100.135:|' {Drift}/kea-dhcp4.conf");
            Assert.True(copy.ExitCode == 0, copy.ToString());
        }

        using var target = new ScratchFolder();
        var console = new StringWriter();
        var servers = LabFixture.Servers.Select(s => $"{s}={LabFixture.Address(s)}").ToList();
        var options = new ImportCommand.HostOptions(servers, new FileInfo(lab.ClientKeyPath), new FileInfo(lab.KnownHostsPath), Drift);

        var code = await ImportCommand.RunFromHostsAsync(options, new DirectoryInfo(target.Path), null, strict: true, console, CancellationToken.None);

        output.WriteLine(console.ToString());
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains($"- kea-dhcp-2: its HA address 198.51.100.135 (from its peer URL) is not assigned on the server (it has {LabFixture.Address(LabFixture.Server2)}); its HA listener could not bind it: set servers[].address", console.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("kea-dhcp-1: its HA address", console.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(target.Path), "--strict wrote files");
    }

    [Fact]
    public async Task A_server_whose_host_key_is_not_known_is_refused_and_nothing_is_written()
    {
        using var target = new ScratchFolder();
        using var empty = new ScratchFolder();
        Directory.CreateDirectory(empty.Path);
        var knownHosts = Path.Combine(empty.Path, "known_hosts");
        await File.WriteAllTextAsync(knownHosts, string.Empty);
        var console = new StringWriter();
        var options = new ImportCommand.HostOptions([$"{LabFixture.Server1}={LabFixture.Address(LabFixture.Server1)}"], new FileInfo(lab.ClientKeyPath), new FileInfo(knownHosts), null);

        var code = await ImportCommand.RunFromHostsAsync(options, new DirectoryInfo(target.Path), null, strict: false, console, CancellationToken.None);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("SHA256:", console.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(target.Path));
    }
}
