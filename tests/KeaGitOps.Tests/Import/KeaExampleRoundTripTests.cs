using System.Text.Json;
using System.Text.Json.Nodes;
using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Import;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.RealKea;
using KeaGitOps.Tests.Support;
using Xunit;

namespace KeaGitOps.Tests.Import;

/// <summary>
/// The round trip on Kea's own example configs (Debian's kea-doc package, installed by
/// scripts/install-prerequisites.sh): each example, made one server of an HA pair, is imported, the
/// inventory validated and rendered, and the render must hold every value of the example that import did
/// not name as not imported or rendered differently (<see cref="ImportRoundTrip"/>) — and real Kea must accept it.
/// </summary>
public sealed class KeaExampleRoundTripTests
{
    public const string ExamplesFolder = "/usr/share/doc/kea/examples/kea4";

    /// <summary>Every DHCPv4 example kea-doc 2.2 ships; a missing one fails the test (kea-doc is a prerequisite).</summary>
    public static TheoryData<string> Examples => new(
        "advanced", "all-keys", "all-keys-netconf", "all-options", "backends", "classify", "classify2", "comments", "config-backend",
        "dhcpv4-over-dhcpv6", "global-reservations", "ha-load-balancing-primary", "hooks", "hooks-radius", "leases-expiration",
        "multiple-options", "mysql-reservations", "pgsql-reservations", "reservations", "several-subnets", "shared-network",
        "single-subnet", "vendor-specific", "vivso", "with-ddns");

    /// <summary>Examples that load hook libraries Debian's Kea packages here do not have (ISC's premium ones of 2.x, made-up names).</summary>
    private static readonly Dictionary<string, string> MissingHooks = new(StringComparer.Ordinal)
    {
        ["hooks"] = "/usr/lib/x86_64-linux-gnu/kea/hooks/security.so, /usr/lib/x86_64-linux-gnu/kea/hooks/charging.so",
        ["hooks-radius"] = "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_flex_id.so, /usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_host_cache.so, /usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_radius.so",
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void An_imported_example_renders_back_to_everything_import_said_it_kept(string example)
    {
        var path = Path.Combine(ExamplesFolder, example + ".json");
        Assert.True(File.Exists(path), $"{path} is missing: install Debian's kea-doc package (scripts/install-prerequisites.sh does)");
        using var scratch = new ScratchFolder();
        Directory.CreateDirectory(scratch.Path);

        // Both servers of the pair: the example as each would hold it.
        var from = new List<string>();
        using (var parsed = KeaJson.Load(path))
        {
            Assert.True(parsed.Succeeded, parsed.Error?.ToString());
            foreach (var server in PeerNames(parsed.Document!.RootElement))
            {
                var config = Path.Combine(scratch.Path, server + ".conf");
                File.WriteAllText(config, AsHaPeer(parsed.Document.RootElement, server));
                from.Add($"{server}={config}");
            }
        }

        var output = Path.Combine(scratch.Path, "inventory");
        var console = new StringWriter();
        var code = ImportCommand.Run(from, new DirectoryInfo(output), null, strict: false, console);
        // Every example imports with nothing lost (secrets aside): no --allow-loss needed.
        Assert.DoesNotContain("not imported", console.ToString().Split("## Not imported")[^1].Split("\n## ")[0].Replace("- nothing", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(code == ExitCodes.Success, console.ToString());
        var report = File.ReadAllText(Path.Combine(output, ImportOutput.ReportFile));
        var check = report[report.IndexOf(ImportCheck.Heading, StringComparison.Ordinal)..];
        Assert.True(check.Contains("`keagitops validate`: 0 error(s)", StringComparison.Ordinal), check);
        foreach (var server in from.Select(f => f[..f.IndexOf('=', StringComparison.Ordinal)]))
        {
            Assert.True(check.Contains($"Round trip: rendering this inventory gives back {server}'s config", StringComparison.Ordinal), check);
        }

        // And real Kea takes what was rendered. (all-keys and the HA example load hooks from
        // /opt/lib/kea/hooks, ISC's source-build prefix, others from /usr/local or /opt/lib; Kea is installed
        // from Debian's packages here, and 2.6 and 3.0 take hooks from their own directory only.
        // A subnet's interface must exist where Kea checks the config: the examples' eth1 is lo here.)
        var site = Path.Combine(output, ImportOutput.SiteFile);
        File.WriteAllText(site, File.ReadAllText(site)
            .Replace("\"/opt/lib/kea/hooks\"", "\"/usr/lib/x86_64-linux-gnu/kea/hooks\"", StringComparison.Ordinal)
            .Replace("library: \"/usr/local/lib/kea/hooks/", "library: \"/usr/lib/x86_64-linux-gnu/kea/hooks/", StringComparison.Ordinal)
            .Replace("library: \"/opt/lib/", "library: \"/usr/lib/x86_64-linux-gnu/kea/hooks/", StringComparison.Ordinal)
            .Replace("interface: \"eth1\"", "interface: \"lo\"", StringComparison.Ordinal));
        var render = RenderPipeline.Default(output).Run(output, null, () => null);
        Assert.True(render.Succeeded, string.Join("\n", render.Diagnostics));
        var kea = KeaInstallation.For(render.Inventory!.Kea.Version.Name());
        var first = render.Servers![0];
        var result = kea.CheckDhcp4(first.File(TemplateSet.Dhcp4).Text);
        if (MissingHooks.TryGetValue(example, out var missing))
        {
            // Kea opens every hook library it is given when it checks a config: those not installed here
            // are the one thing it refuses (each named), so everything before them in its parse passed.
            Assert.False(result.Passed);
            Assert.Contains("hooks libraries failed to validate - library or libraries in error are: " + missing, result.Output, StringComparison.Ordinal);
            return;
        }

        Assert.True(result.Passed, $"Kea {kea.Version} refused {first.Name}'s render:\n{result.Output}");
    }

    /// <summary>The pair's names: an HA example's own peer names (first two), else kea-dhcp-1 and kea-dhcp-2.</summary>
    private static List<string> PeerNames(JsonElement root)
    {
        var ha = HaRelationship(JsonNode.Parse(root.GetRawText())!["Dhcp4"]!.AsObject());
        return ha?["peers"]!.AsArray().Take(2).Select(p => p!["name"]!.GetValue<string>()).ToList() ?? ["kea-dhcp-1", "kea-dhcp-2"];
    }

    private static JsonNode? HaRelationship(JsonObject dhcp4) =>
        dhcp4["hooks-libraries"]?.AsArray()
            .FirstOrDefault(h => h?["library"]?.GetValue<string>().EndsWith("libdhcp_ha.so", StringComparison.Ordinal) == true)?["parameters"]?["high-availability"]?[0];

    /// <summary>
    /// The example as one server of a load-balancing pair: an example that has no HA hook gets the one
    /// keagitops renders (peers on TEST-NET-1 addresses above the examples' pools, which end at .200: a pool
    /// over a server's own address is KGO220), so the imported inventory describes a pair.
    /// </summary>
    private static string AsHaPeer(JsonElement root, string server)
    {
        var config = JsonNode.Parse(root.GetRawText())!;
        var dhcp4 = config["Dhcp4"]!.AsObject();
        if (dhcp4["interfaces-config"]?["interfaces"] is not JsonArray { Count: > 0 })
        {
            // all-options.json listens nowhere; a server of the pair serves a network.
            dhcp4["interfaces-config"] = new JsonObject { ["interfaces"] = new JsonArray("eth0") };
        }

        if (HaRelationship(dhcp4) is { } ha)
        {
            ha["this-server-name"] = server;
            return config.ToJsonString();
        }

        var hooks = dhcp4["hooks-libraries"]?.AsArray();

        if (hooks is null)
        {
            hooks = [];
            dhcp4["hooks-libraries"] = hooks;
        }

        hooks.Add(JsonNode.Parse("""{ "library": "libdhcp_lease_cmds.so" }"""));
        hooks.Add(JsonNode.Parse($$"""
            { "library": "libdhcp_ha.so", "parameters": { "high-availability": [ {
                "this-server-name": "{{server}}", "mode": "load-balancing",
                "peers": [
                  { "name": "kea-dhcp-1", "url": "http://192.0.2.251:8000/", "role": "primary" },
                  { "name": "kea-dhcp-2", "url": "http://192.0.2.252:8000/", "role": "secondary" } ] } ] } }
            """));
        return config.ToJsonString();
    }
}
