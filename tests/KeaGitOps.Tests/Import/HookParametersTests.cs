using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Core.Import;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.RealKea;
using KeaGitOps.Tests.Support;
using Xunit;

namespace KeaGitOps.Tests.Import;

/// <summary>
/// The parameters of the hook libraries keagitops loads itself: lease_cmds' binding-variables (Kea 3.0) are the
/// inventory's lease-cmds, imported, rendered and checked by real Kea; an empty parameters map is no loss.
/// </summary>
public sealed class HookParametersTests
{
    private const string BindingVariables = """[ { "name": "circuit", "expression": "hexstring(relay4[1].hex, ':')", "source": "query" }, { "name": "given", "expression": "addrtotext(pkt4.yiaddr)", "source": "response" } ]""";

    private static string Config(string server, string leaseCmdsParameters, string hostCmds = "") =>
        File.ReadAllText(RepositoryLayout.Fixture($"import/report/{server}.conf"))
            .Replace("{ \"library\": \"/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_lease_cmds.so\" }",
                $"{{ \"library\": \"libdhcp_lease_cmds.so\", \"parameters\": {leaseCmdsParameters} }}{hostCmds}", StringComparison.Ordinal)
            .Replace("/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_ha.so", "libdhcp_ha.so", StringComparison.Ordinal);

    private static (int Code, string Console, string Output) Import(ScratchFolder scratch, string leaseCmdsParameters, string hostCmds = "")
    {
        Directory.CreateDirectory(scratch.Path);
        var from = new List<string>();
        foreach (var server in new[] { "kea-dhcp-1", "kea-dhcp-2" })
        {
            var path = Path.Combine(scratch.Path, server + ".conf");
            var text = Config(server, leaseCmdsParameters, hostCmds);
            Assert.Contains("libdhcp_lease_cmds.so\", \"parameters\"", text, StringComparison.Ordinal);
            File.WriteAllText(path, text);
            from.Add($"{server}={path}");
        }

        var output = Path.Combine(scratch.Path, "inventory");
        var console = new StringWriter();
        var code = ImportCommand.Run(from, new DirectoryInfo(output), null, strict: false, console);
        return (code, console.ToString(), output);
    }

    [Fact]
    public void Lease_cmds_binding_variables_are_imported_rendered_back_and_accepted_by_real_Kea_3_0()
    {
        using var scratch = new ScratchFolder();
        var (code, console, output) = Import(scratch, $$"""{ "binding-variables": {{BindingVariables}} }""");

        Assert.True(code == ExitCodes.Success, console);
        var site = File.ReadAllText(Path.Combine(output, ImportOutput.SiteFile));
        Assert.Contains("version: \"3.0\"", site, StringComparison.Ordinal);
        // binding-variables are Kea 3.0 syntax (bare hook names alone fit 2.6 too): the version is read, not assumed.
        Assert.DoesNotContain("kea.version", File.ReadAllText(Path.Combine(output, ImportOutput.ReportFile)), StringComparison.Ordinal);
        Assert.Contains("lease-cmds:\n  binding-variables: [{ name: \"circuit\", expression: \"hexstring(relay4[1].hex, ':')\", source: \"query\" }", site, StringComparison.Ordinal);
        var report = File.ReadAllText(Path.Combine(output, ImportOutput.ReportFile));
        Assert.DoesNotContain("hooks-libraries[0].parameters", report, StringComparison.Ordinal);
        Assert.Contains("Round trip: rendering this inventory gives back kea-dhcp-1's config", report, StringComparison.Ordinal);

        var render = RenderPipeline.Default(output).Run(output, null, () => null);
        Assert.True(render.Succeeded, string.Join("\n", render.Diagnostics));
        var dhcp4 = render.Servers![0].File(TemplateSet.Dhcp4).Text;
        Assert.Contains("\"library\": \"libdhcp_lease_cmds.so\",\n        \"parameters\": {\n          \"binding-variables\": [", dhcp4, StringComparison.Ordinal);

        // -T loads lease_cmds, which parses each expression: a broken one is refused, so the check proves them.
        var kea = KeaInstallation.For("3.0");
        var passed = kea.CheckDhcp4(dhcp4, deep: true);
        Assert.True(passed.Passed, passed.Output);
        var broken = kea.CheckDhcp4(dhcp4.Replace("addrtotext(pkt4.yiaddr)", "addrtotext(pkt4.yiaddr", StringComparison.Ordinal), deep: true);
        Assert.False(broken.Passed, broken.Output);
    }

    [Fact]
    public void An_empty_parameters_map_is_no_loss_and_parameters_a_hook_does_not_read_are_named_as_ignored_by_Kea()
    {
        using var scratch = new ScratchFolder();
        var (code, console, output) = Import(scratch, "{ }", ", { \"library\": \"libdhcp_host_cmds.so\", \"parameters\": { \"page-size\": 10 } }");

        Assert.True(code == ExitCodes.Success, console);
        var report = File.ReadAllText(Path.Combine(output, ImportOutput.ReportFile));
        Assert.DoesNotContain("hooks-libraries[0].parameters", report, StringComparison.Ordinal);
        Assert.Contains("hooks-libraries[1].parameters.page-size: libdhcp_host_cmds.so reads no parameters", report, StringComparison.Ordinal);
        Assert.DoesNotContain("lease-cmds", File.ReadAllText(Path.Combine(output, ImportOutput.SiteFile)), StringComparison.Ordinal);
    }
}
