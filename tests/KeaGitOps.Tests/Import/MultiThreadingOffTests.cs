using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Core.Import;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.Support;
using Xunit;

namespace KeaGitOps.Tests.Import;

/// <summary>
/// A pair running without multi-threading (Kea's default on 2.2): import keeps it, and since the HA peers then
/// reach each other through their Control Agents, places each agent where its partner's peer URL points.
/// </summary>
public sealed class MultiThreadingOffTests
{
    [Fact]
    public void A_pair_without_multi_threading_is_imported_with_its_agents_at_the_peer_urls_and_renders_back()
    {
        using var scratch = new ScratchFolder();
        Directory.CreateDirectory(scratch.Path);
        var from = new List<string>();
        foreach (var server in new[] { "kea-dhcp-1", "kea-dhcp-2" })
        {
            var text = File.ReadAllText(RepositoryLayout.Fixture($"import/report/{server}.conf"));
            Assert.Contains("\"renew-timer\": 43200,", text, StringComparison.Ordinal);
            var path = Path.Combine(scratch.Path, server + ".conf");
            File.WriteAllText(path, text.Replace("\"renew-timer\": 43200,", "\"renew-timer\": 43200, \"multi-threading\": { \"enable-multi-threading\": false },", StringComparison.Ordinal));
            from.Add($"{server}={path}");
        }

        var output = Path.Combine(scratch.Path, "inventory");
        var console = new StringWriter();
        var code = ImportCommand.Run(from, new DirectoryInfo(output), null, strict: false, console);

        Assert.True(code == ExitCodes.Success, console.ToString());
        var site = File.ReadAllText(Path.Combine(output, ImportOutput.SiteFile));
        Assert.Contains("multi-threading:\n  enable-multi-threading: false\n", site, StringComparison.Ordinal);
        Assert.Contains("control-agent:\n  port: 8000  # import: assumed: no kea-ctrl-agent.conf was read; with multi-threading off", site, StringComparison.Ordinal);
        Assert.Contains("name: \"kea-dhcp-2\", address: \"192.168.1.134\", role: \"secondary\", interfaces: [\"eth0\"], control-agent: { host: \"192.168.1.134\" }", site, StringComparison.Ordinal);
        var report = File.ReadAllText(Path.Combine(output, ImportOutput.ReportFile));
        var check = report[report.IndexOf(ImportCheck.Heading, StringComparison.Ordinal)..];
        Assert.Contains("`keagitops validate`: 0 error(s)", check, StringComparison.Ordinal);
        Assert.Contains("Round trip: rendering this inventory gives back kea-dhcp-1's config", check, StringComparison.Ordinal);
        Assert.DoesNotContain("enable-multi-threading", report[..report.IndexOf(ImportCheck.Heading, StringComparison.Ordinal)], StringComparison.Ordinal);

        var render = RenderPipeline.Default(output).Run(output, null, () => null);
        Assert.True(render.Succeeded, string.Join("\n", render.Diagnostics));
        var agent = render.Servers![1].File(TemplateSet.ControlAgent).Text;
        Assert.Contains("\"http-host\": \"192.168.1.134\",\n    \"http-port\": 8000", agent, StringComparison.Ordinal);
    }
}
