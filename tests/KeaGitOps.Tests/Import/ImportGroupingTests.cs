using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;
using KeaGitOps.Core.Import;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Validation;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Import;

/// <summary>Imported reservations laid out for review as the user chooses; every layout is the same valid inventory.</summary>
public sealed class ImportGroupingTests : IDisposable
{
    private readonly List<ScratchFolder> _targets = [];

    public void Dispose() => _targets.ForEach(t => t.Dispose());

    private ValidationResult ImportWith(ReservationGrouping grouping) => ImportWith(grouping, out _);

    private ValidationResult ImportWith(ReservationGrouping grouping, out string target)
    {
        var scratch = new ScratchFolder();
        _targets.Add(scratch);
        target = scratch.Path;
        var fixtures = RepositoryLayout.Fixture("import/report");
        var code = ImportCommand.Run([$"kea-dhcp-1={fixtures}/kea-dhcp-1.conf", $"kea-dhcp-2={fixtures}/kea-dhcp-2.conf"], new DirectoryInfo(target), null, strict: false, TextWriter.Null, grouping);
        Assert.Equal(ExitCodes.Success, code);
        return new InventoryValidator(SchemaValidator.BuiltIn, InventoryValidator.DefaultRules, new InventoryLoader(target)).Validate(target);
    }

    private static IEnumerable<string> Reservations(ValidationResult result) =>
        result.Model!.Subnets.SelectMany(s => s.Reservations).Select(r => $"{r.HwAddress} {r.IpAddress}").Order(StringComparer.Ordinal);

    [Fact]
    public void Hostname_prefix_grouping_writes_one_file_per_kind_of_device()
    {
        var result = ImportWith(ReservationGrouping.HostnamePrefix, out var target);

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var files = Directory.GetFiles(Path.Combine(target, "reservations", "subnet-1")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("eap.yaml", files);
        Assert.Contains("influxdb.yaml", files);
        Assert.Contains("reservations-from: \"reservations/subnet-1/\"", File.ReadAllText(Path.Combine(target, "site.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_layout_holds_the_same_reservations()
    {
        var bySubnet = Reservations(ImportWith(ReservationGrouping.Subnet)).ToList();
        var inline = ImportWith(ReservationGrouping.Inline);
        var byHostname = ImportWith(ReservationGrouping.HostnamePrefix);

        Assert.NotEmpty(bySubnet);
        Assert.False(inline.HasErrors, string.Join("\n", inline.Diagnostics));
        Assert.Equal(bySubnet, Reservations(inline));
        Assert.Equal(bySubnet, Reservations(byHostname));
    }
}
