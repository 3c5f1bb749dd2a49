using System.Net;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Wire;

/// <summary>
/// Option data proven on the wire: a small inventory rendered through the real pipeline, served by a
/// real Kea 3.0, asked for an address by a client in another network namespace. What the client
/// decodes from the OFFER and the ACK is what the inventory says, byte for byte.
/// </summary>
public sealed class OptionDeliveryTests
{
    private const string RootPath = "192.168.1.5:/srv/nfsroot,vers=3,tcp";
    private const string BootFile = @"\\wds01\reminst\boot\x64\wdsnbp.com,1";
    private const string TftpServer = "tftp-büro.corp.example, \"nächster\" 😀";

    /// <summary>The hot-standby pair both sites serve from.</summary>
    private const string Pair = """
        kea: { version: "3.0" }
        servers:
          - { name: wire-1, address: 203.0.113.1, role: primary, interfaces: [eth0] }
          - { name: wire-2, address: 203.0.113.2, role: standby, interfaces: [eth0] }
        high-availability: { mode: hot-standby, port: 8000 }
        control-agent: { port: 8001 }
        logging: { severity: INFO, output: stdout }
        """;

    private const string Site = Pair + """

        option-data:
          root-path: "192.168.1.5:/srv/nfsroot,vers=3,tcp"
          boot-file-name: '\\wds01\reminst\boot\x64\wdsnbp.com,1'
          tftp-server-name: 'tftp-büro.corp.example, "nächster" 😀'
          domain-search: [corp.example, lab.corp.example]
          slp-service-scope: [true, "scope-a,scope-b"]
          domain-name-servers: "203.0.113.53, 203.0.113.54"
        subnets:
          - id: 1
            subnet: 203.0.113.0/24
            pools: [203.0.113.100 - 203.0.113.199]
            option-data: { routers: 203.0.113.1 }
        """;

    /// <summary>slp-service-scope, a record: the mandatory flag, then the scope list with its comma.</summary>
    private static readonly byte[] ServiceScope = [1, .. "scope-a,scope-b"u8];

    private static readonly byte[] Requested = [1, 3, 6, 17, 66, 67, 79, 119];

    private static string RenderedForWire()
    {
        using var inventory = TempInventory.FromFiles(new Dictionary<string, string> { ["site.yaml"] = Site });
        var result = RenderPipeline.Default(inventory.Folder).Run(inventory.Folder, null, () => null);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return WireKea.WithoutHighAvailability(result.Servers![0].File(TemplateSet.Dhcp4).Text);
    }

    [Fact]
    public void Offer_and_ack_carry_each_option_whole_and_the_client_gets_an_address_from_the_pool()
    {
        using var kea = WireKea.Start(RenderedForWire());

        var exchange = kea.Ask(Requested);

        foreach (var answer in new[] { exchange.Offer, exchange.Ack })
        {
            Assert.Equal(RootPath, answer.Text(17));
            Assert.Equal(BootFile, answer.Text(67));
            Assert.Equal(TftpServer, answer.Text(66)); // UTF-8 bytes as written
            Assert.Equal(["corp.example", "lab.corp.example"], answer.DomainNames(119));
            Assert.Equal(ServiceScope, answer.Options[79]);
            Assert.Equal([IPAddress.Parse("203.0.113.53"), IPAddress.Parse("203.0.113.54")], answer.Addresses(6));
            Assert.Equal([IPAddress.Parse(WireKea.ServerAddress)], answer.Addresses(3));
        }

        var leased = exchange.Ack.YourAddress.GetAddressBytes();
        Assert.Equal(exchange.Offer.YourAddress, exchange.Ack.YourAddress);
        Assert.Equal([203, 0, 113], leased[..3]);
        Assert.InRange(leased[3], 100, 199);
    }

    /// <summary>Options of the inventory's own option-def: a string with a comma, and a record whose last (string) field holds one.</summary>
    private const string DefinedSite = Pair + """

        option-def:
          - { name: pxe-url, code: 224, type: string }
          - { name: site-info, code: 225, type: record, record-types: "uint8, ipv4-address, string" }
        option-data:
          pxe-url: "http://203.0.113.5/boot,menu=1"
          site-info: { data: [7, 203.0.113.9, "rack 4, row 2"] }
        subnets:
          - id: 1
            subnet: 203.0.113.0/24
            pools: [203.0.113.100 - 203.0.113.199]
        """;

    [Fact]
    public void Options_of_the_inventorys_option_def_reach_the_client_as_their_definition_says_commas_included()
    {
        using var inventory = TempInventory.FromFiles(new Dictionary<string, string> { ["site.yaml"] = DefinedSite });
        var result = RenderPipeline.Default(inventory.Folder).Run(inventory.Folder, null, () => null);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        using var kea = WireKea.Start(WireKea.WithoutHighAvailability(result.Servers![0].File(TemplateSet.Dhcp4).Text));

        var exchange = kea.Ask([1, 3, 224, 225]);

        foreach (var answer in new[] { exchange.Offer, exchange.Ack })
        {
            // Without its definition the URL would be two values, and Kea would have refused the unknown name.
            Assert.Equal("http://203.0.113.5/boot,menu=1", answer.Text(224));
            Assert.Equal([7, 203, 0, 113, 9, .. "rack 4, row 2"u8], answer.Options[225]);
        }
    }

    [Fact]
    public void Unescaped_data_loses_everything_after_the_first_comma_on_the_wire()
    {
        // The failure the escaping prevents, measured on the same harness: Kea accepts the config and
        // the client gets a truncated root-path. If this ever passes whole, Kea changed its tokenizer.
        var config = RenderedForWire().Replace(@"192.168.1.5:/srv/nfsroot\\,vers=3\\,tcp", RootPath, StringComparison.Ordinal);
        Assert.Contains(RootPath, config, StringComparison.Ordinal);
        using var kea = WireKea.Start(config);

        var exchange = kea.Ask(Requested);

        Assert.Equal("192.168.1.5:/srv/nfsroot", exchange.Ack.Text(17));
    }
}
