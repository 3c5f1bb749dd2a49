using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Cli.Output;
using KeaGitOps.Remote.Status;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Status;

/// <summary>What status prints: the Prometheus text read back by the Prometheus project's own Python parser, the table, and --check's line.</summary>
public sealed class StatusOutputTests
{
    private static StatusReport Report(params ServerStatus[] servers)
    {
        var verdict = StatusEvaluator.Evaluate(servers, new StatusThresholds());
        return new StatusReport(servers, verdict, new StatusThresholds(), verdict.LoadSummary, DateTimeOffset.UnixEpoch);
    }

    /// <summary>Parses exposition text with prometheus_client (Debian's python3-prometheus-client) and prints one line per sample: name{labels} value.</summary>
    /// <summary>Debian's own interpreter, which sees Debian's python3-* packages (a python3 earlier on PATH, e.g. pyenv's, may not).</summary>
    private const string DebianPython = "/usr/bin/python3";

    internal static string ParseWithPrometheusClient(string exposition)
    {
        using var scratch = new ScratchFolder();
        Directory.CreateDirectory(scratch.Path);
        var input = Path.Combine(scratch.Path, "metrics.prom");
        File.WriteAllText(input, exposition);
        const string Script = """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for s in family.samples:
                    labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
                    print(f"{family.type} {s.name}{{{labels}}} {s.value}")
            """;
        var result = ExternalProgram.Run(DebianPython, "-c", Script, input);
        Assert.True(result.ExitCode == 0, $"prometheus_client could not parse the output (apt-get install python3-prometheus-client; scripts/install-prerequisites.sh does): {result.Stderr}\n{exposition}");
        return result.Text;
    }

    [Fact]
    public void Prometheus_output_parses_with_the_real_client_library_with_every_value_and_label()
    {
        var weird = StatusEvaluatorTests.Healthy("kea \"lab\"\\1", "kea-dhcp-2", assigned: 85);
        var text = new StringWriter();
        PrometheusWriter.Write(text, Report(weird, StatusEvaluatorTests.Healthy("kea-dhcp-2", "kea \"lab\"\\1")));

        var samples = ParseWithPrometheusClient(text.ToString());

        Assert.Contains("gauge keagitops_up{server=\"kea \"lab\"\\1\"} 1.0", samples, StringComparison.Ordinal);
        Assert.Contains("gauge keagitops_ha_state{server=\"kea-dhcp-2\",state=\"load-balancing\"} 1.0", samples, StringComparison.Ordinal);
        Assert.Contains("gauge keagitops_ha_state{server=\"kea-dhcp-2\",state=\"partner-down\"} 0.0", samples, StringComparison.Ordinal);
        Assert.Contains("gauge keagitops_subnet_total_addresses{server=\"kea-dhcp-2\",subnet=\"198.51.100.0/24\",subnet_id=\"1\"} 100.0", samples, StringComparison.Ordinal);
        Assert.Contains("gauge keagitops_subnet_usage_ratio{server=\"kea-dhcp-2\",subnet=\"198.51.100.0/24\",subnet_id=\"1\"} 0.1", samples, StringComparison.Ordinal);
        Assert.Contains("counter keagitops_dhcp4_acks_sent_total{server=\"kea-dhcp-2\"} 30.0", samples, StringComparison.Ordinal);
        Assert.Contains("gauge keagitops_status{} 1.0", samples, StringComparison.Ordinal);
        // Every family has its HELP and TYPE, once.
        var lines = text.ToString().Split('\n');
        var families = lines.Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();
        Assert.Equal(families.Count, families.Distinct().Count());
        Assert.All(families, f => Assert.Contains($"# HELP {f} ", text.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void The_table_names_each_servers_state_and_paints_only_when_asked()
    {
        var report = Report(StatusEvaluatorTests.Healthy("kea-dhcp-1", "kea-dhcp-2"), new ServerStatus("kea-dhcp-2", "198.51.100.134") { Unreachable = "connection refused" });
        var plain = new StringWriter();
        var painted = new StringWriter();

        new StatusTableWriter(plain, color: false).Write(report);
        new StatusTableWriter(painted, color: true).Write(report);

        Assert.StartsWith("KEAGITOPS CRITICAL - kea-dhcp-2: unreachable (connection refused)", plain.ToString(), StringComparison.Ordinal);
        Assert.Contains("unreachable", plain.ToString(), StringComparison.Ordinal);
        Assert.Contains("kea-dhcp-2 load-balancing, in touch, 0 unacked; serves kea-dhcp-1", plain.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", plain.ToString(), StringComparison.Ordinal);
        Assert.Contains("\u001b[31mKEAGITOPS CRITICAL", painted.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_on_an_invalid_inventory_is_UNKNOWN_exit_3_and_no_server_is_asked()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Replace("site.yaml", "role: secondary", "role: tertiary");
        var console = new StringWriter();

        var code = await StatusCommand.RunAsync(new StatusRequest(new DirectoryInfo(inventory.Folder), null, null, StatusFormat.Text, Check: true, Watch: false, TimeSpan.FromSeconds(5), new StatusThresholds()), console, CancellationToken.None);

        Assert.Equal(ExitCodes.CheckUnknown, code);
        Assert.Contains("KEAGITOPS UNKNOWN - the inventory is invalid", console.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--warning", "95")]
    [InlineData("--critical", "101")]
    [InlineData("--interval", "0")]
    public void Bad_thresholds_or_intervals_are_usage_errors(string option, string value)
    {
        var parse = CliCommands.Create().Parse(["status", option, value]);

        Assert.NotEmpty(parse.Errors);
    }
}
