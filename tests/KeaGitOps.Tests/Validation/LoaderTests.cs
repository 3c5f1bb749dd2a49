using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Tests.Support;
using Xunit;

namespace KeaGitOps.Tests.Validation;

public sealed class LoaderTests
{
    private const string Servers = """
        servers:
          - name: kea-dhcp-1
            address: 192.168.1.133
            role: primary
            interfaces: [eth0]
          - name: kea-dhcp-2
            address: 192.168.1.134
            role: secondary
            interfaces: [eth0]
        high-availability: { mode: load-balancing }
        control-agent: { port: 8001 }

        """;

    private static string SiteWithReservationsFrom(string reservationsFrom) => $"""
        subnets:
          - id: 1
            subnet: 10.0.0.0/24
            pools: [10.0.0.200 - 10.0.0.250]
            reservations-from: {reservationsFrom}

        """;

    private static string ReservationLine(int host) => $"- {{ hw-address: \"02:00:00:00:00:{host:x2}\", ip-address: 10.0.0.{host}, hostname: host-{host} }}\n";

    [Fact]
    public void Locations_are_one_based_and_point_at_values()
    {
        using var inventory = TempInventory.FromFiles(new Dictionary<string, string> { ["site.yaml"] = Servers + SiteWithReservationsFrom("hosts/"), ["hosts/a.yaml"] = ReservationLine(5) });

        var result = inventory.Validate();

        Assert.Empty(result.Diagnostics);
        var server = result.Model!.Servers[1];
        Assert.Equal(new SourceLocation("site.yaml", 6, 11), server.LocationOf(nameof(Server.Name)));
        Assert.Equal(new SourceLocation("site.yaml", 7, 14), server.LocationOf(nameof(Server.Address)));
        Assert.Equal(new SourceLocation("site.yaml", 6, 5), server.Location);
        var reservation = Assert.Single(result.Model.Subnets[0].Reservations);
        Assert.Equal(new SourceLocation("hosts/a.yaml", 1, 17), reservation.LocationOf(nameof(Reservation.HwAddress)));
        Assert.Equal(new SourceLocation("hosts/a.yaml", 1, 50), reservation.LocationOf(nameof(Reservation.IpAddress)));
    }

    [Fact]
    public void Top_level_files_merge_into_one_inventory()
    {
        using var inventory = TempInventory.FromFiles(new Dictionary<string, string>
        {
            ["servers.yaml"] = Servers,
            ["subnets.yml"] = SiteWithReservationsFrom("hosts.d/"),
            ["hosts.d/a.yaml"] = ReservationLine(5),
        });

        var result = inventory.Validate();

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["kea-dhcp-1", "kea-dhcp-2"], result.Model!.Servers.Select(s => s.Name));
        Assert.Equal("10.0.0.0/24", Assert.Single(result.Model.Subnets).Prefix);
        Assert.Equal(["hosts.d/a.yaml", "servers.yaml", "subnets.yml"], result.Source!.Files.Select(f => f.RelativePath).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Reservations_from_a_single_file()
    {
        using var inventory = TempInventory.FromFiles(new Dictionary<string, string>
        {
            ["site.yaml"] = Servers + SiteWithReservationsFrom("hosts/printers.yaml"),
            ["hosts/printers.yaml"] = ReservationLine(5) + ReservationLine(6),
            ["hosts/other.yaml"] = ReservationLine(7),
        });

        var result = inventory.Validate();

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["host-5", "host-6"], result.Model!.Subnets[0].Reservations.Select(r => r.Hostname));
    }

    [Fact]
    public void Reservations_from_a_folder_reads_it_recursively_in_sorted_order()
    {
        using var inventory = TempInventory.FromFiles(new Dictionary<string, string>
        {
            ["site.yaml"] = Servers + SiteWithReservationsFrom("hosts"),
            ["hosts/b.yaml"] = ReservationLine(7),
            ["hosts/a/z.yml"] = ReservationLine(6),
            ["hosts/a.yaml"] = ReservationLine(5),
            ["hosts/README.md"] = "not YAML, not read\n",
        });

        var result = inventory.Validate();

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["host-5", "host-6", "host-7"], result.Model!.Subnets[0].Reservations.Select(r => r.Hostname));
    }

    [Fact]
    public void Reservations_from_a_list_appends_each_source_after_the_inline_reservations()
    {
        using var inventory = TempInventory.FromFiles(new Dictionary<string, string>
        {
            ["site.yaml"] = Servers + SiteWithReservationsFrom("[hosts/b.yaml, hosts/a.yaml]") + "    reservations:\n      " + ReservationLine(9),
            ["hosts/a.yaml"] = ReservationLine(5),
            ["hosts/b.yaml"] = ReservationLine(7),
        });

        var result = inventory.Validate();

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["host-9", "host-7", "host-5"], result.Model!.Subnets[0].Reservations.Select(r => r.Hostname));
    }

    [Fact]
    public void Empty_files_are_fine()
    {
        using var inventory = TempInventory.FromFiles(new Dictionary<string, string>
        {
            ["site.yaml"] = Servers + SiteWithReservationsFrom("hosts/"),
            ["empty.yaml"] = string.Empty,
            ["comments-only.yaml"] = "# nothing here yet\n",
            ["hosts/empty.yaml"] = string.Empty,
            ["hosts/a.yaml"] = ReservationLine(5),
        });

        var result = inventory.Validate();

        Assert.Empty(result.Diagnostics);
        Assert.Single(result.Model!.Subnets[0].Reservations);
    }

    [Theory]
    [InlineData("8000", ScalarKind.Integer)]
    [InlineData("\"8000\"", ScalarKind.String)]
    [InlineData("'8000'", ScalarKind.String)]
    [InlineData("00:11:22:33:44:55", ScalarKind.String)]
    [InlineData("1:30", ScalarKind.String)]
    [InlineData("yes", ScalarKind.String)]
    [InlineData("no", ScalarKind.String)]
    [InlineData("on", ScalarKind.String)]
    [InlineData("true", ScalarKind.Boolean)]
    [InlineData("1.5", ScalarKind.Float)]
    [InlineData("~", ScalarKind.Null)]
    [InlineData("192.168.1.1", ScalarKind.String)]
    public void Scalars_are_typed_by_yaml_1_2(string yaml, ScalarKind kind)
    {
        var diagnostics = new DiagnosticBag();

        var root = Assert.IsType<MappingNode>(YamlReader.Read($"value: {yaml}\n", "test.yaml", diagnostics));

        Assert.Empty(diagnostics.Items);
        Assert.Equal(kind, Assert.IsType<ScalarNode>(root.Find("value")!.Value).Kind);
    }

    [Fact]
    public void Unquoted_mac_binds_as_text()
    {
        using var inventory = TempInventory.FromFiles(new Dictionary<string, string>
        {
            ["site.yaml"] = Servers + SiteWithReservationsFrom("hosts/"),
            ["hosts/a.yaml"] = "- { hw-address: 00:11:22:33:44:55, ip-address: 10.0.0.5 }\n",
        });

        var result = inventory.Validate();

        Assert.Empty(result.Diagnostics);
        Assert.Equal("00:11:22:33:44:55", Assert.Single(result.Model!.Subnets[0].Reservations).HwAddress);
    }
}
