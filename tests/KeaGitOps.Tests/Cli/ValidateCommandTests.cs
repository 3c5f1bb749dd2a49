using System.Text.Json;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Cli.Output;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Tests.Support;
using KeaGitOps.Tests.Validation;
using Xunit;

namespace KeaGitOps.Tests.Cli;

/// <summary>
/// keagitops validate end to end. The command prints paths relative to the process's working folder,
/// so expected lines come from validating the same folder against that working folder.
/// </summary>
public sealed class ValidateCommandTests
{
    [Fact]
    public void Example_inventory_exits_0_and_prints_the_one_warning()
    {
        using var inventory = TempInventory.FromExample();

        var (exitCode, output) = Run(inventory.Folder, OutputFormat.Text);

        Assert.Equal(0, exitCode);
        var lines = Lines(output);
        Assert.Equal(2, lines.Length);
        Assert.Contains("site.yaml:58:9: warning KGO204: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("0 errors, 1 warning in ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Incident_exits_1_and_prints_both_places_of_the_duplicate_address()
    {
        using var inventory = TempInventory.FromExample();
        ExampleInventory.AddIncidentReservation(inventory);
        var expected = TempInventory.Validate(inventory.Folder, Directory.GetCurrentDirectory());

        var (exitCode, output) = Run(inventory.Folder, OutputFormat.Text);

        Assert.Equal(1, exitCode);
        var lines = Lines(output);
        Assert.Equal(expected.Diagnostics.Select(d => d.ToString()).Append(lines[^1]), lines);
        var duplicate = Assert.Single(lines, line => line.Contains(" error KGO201: ", StringComparison.Ordinal));
        var here = inventory.At(ExampleInventory.Lights, ExampleInventory.IncidentReservation, "192.168.1.74");
        var influxdb = inventory.At(ExampleInventory.Infrastructure, "hostname: influxdb", "192.168.1.74");
        Assert.Contains($"{ExampleInventory.Lights}:{here.Line}:{here.Column}: error KGO201: 192.168.1.74 is reserved for eap773 here", duplicate, StringComparison.Ordinal);
        Assert.Contains($"for influxdb at {Path.Combine(inventory.Folder, influxdb.File)}:{influxdb.Line}:{influxdb.Column}", duplicate, StringComparison.Ordinal);
        Assert.StartsWith("2 errors, 1 warning in ", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Github_format_escapes_file_properties_and_keeps_one_annotation_per_line()
    {
        using var inventory = TempInventory.FromExample();
        inventory.Write("reservations/wifi,floor:2.yaml", ExampleInventory.IncidentReservation + "\n");
        inventory.Replace(ExampleInventory.Lights, "hostname: bulb-porch", "hostname: \"50%\\nporch\"");

        var (exitCode, output) = Run(inventory.Folder, OutputFormat.Github);

        Assert.Equal(1, exitCode);
        var lines = Lines(output);
        Assert.All(lines[..^1], line => Assert.Matches("^::(error|warning) ", line));
        var escapedFile = Path.Combine(inventory.Folder, "reservations").Replace(":", "%3A", StringComparison.Ordinal) + "/wifi%2Cfloor%3A2.yaml";
        var duplicate = $"::error file={escapedFile},line=1,col=50,title=KGO201::192.168.1.74 is reserved for eap773 here and for influxdb at ";
        Assert.Single(lines, line => line.StartsWith(duplicate, StringComparison.Ordinal));
        Assert.Single(lines, line => line.Contains("title=KGO214::hostname '50%25\\u000aporch' is not a valid DNS name", StringComparison.Ordinal));
    }

    [Fact]
    public void Github_format_escapes_newlines_percent_commas_and_colons_as_the_runner_expects()
    {
        var diagnostic = new Diagnostic("KGO214", Severity.Error, new SourceLocation("a,b:c.yaml", 3, 4), "one, two: 100%\r\nthree");
        using var output = new StringWriter();

        new DiagnosticWriter(output, OutputFormat.Github, color: false).Write([diagnostic], "1 error, 0 warnings");

        Assert.Equal(
            ["::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=KGO214::one, two: 100%25%0D%0Athree", "1 error, 0 warnings"],
            Lines(output.ToString()));
    }

    [Fact]
    public void Json_format_parses_and_carries_every_finding_with_its_places()
    {
        using var inventory = TempInventory.FromExample();
        ExampleInventory.AddIncidentReservation(inventory);

        var (exitCode, output) = Run(inventory.Folder, OutputFormat.Json);

        Assert.Equal(1, exitCode);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("errors").GetInt32());
        Assert.Equal(1, root.GetProperty("warnings").GetInt32());
        var diagnostics = root.GetProperty("diagnostics").EnumerateArray().ToList();
        Assert.Equal(["KGO201", "KGO202", "KGO204"], diagnostics.Select(d => d.GetProperty("code").GetString()).Order(StringComparer.Ordinal));
        var duplicate = Assert.Single(diagnostics, d => d.GetProperty("code").GetString() == "KGO201");
        Assert.Equal("error", duplicate.GetProperty("severity").GetString());
        Assert.EndsWith("/" + ExampleInventory.Lights, duplicate.GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.Equal(inventory.At(ExampleInventory.Lights, ExampleInventory.IncidentReservation).Line, duplicate.GetProperty("line").GetInt32());
        var related = Assert.Single(duplicate.GetProperty("related").EnumerateArray());
        Assert.EndsWith("/" + ExampleInventory.Infrastructure, related.GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.Equal(7, related.GetProperty("line").GetInt32());
        Assert.StartsWith("192.168.1.74 is reserved for eap773 here", duplicate.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) Run(string folder, OutputFormat format)
    {
        using var output = new StringWriter();
        var exitCode = ValidateCommand.Run(new DirectoryInfo(folder), format, output);
        return (exitCode, output.ToString());
    }

    private static string[] Lines(string output) => output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
}
