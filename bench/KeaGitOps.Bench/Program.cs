using System.Globalization;
using System.Text;

// Writes a large synthetic inventory, the same bytes for the same arguments:
//   generate-inventory OUT_DIR SUBNETS RESERVATIONS_PER_SUBNET [KEA_VERSION] [STYLE]
// Subnet i is the /20 at 10.0.0.0 + i*4096 (id i+1, router .1, a 256-address pool at its end);
// its reservations start at offset 2 and live in reservations/subnet-NNNNN.yaml, one file per
// subnet, as an operator splitting a big site would. MACs are locally administered (02:…).
// STYLE is how the reservation files are written (the same data each way):
//   flow-double  one flow mapping a line, MACs double-quoted (as import and the examples write them; default)
//   flow-single  as PyYAML's dump(default_flow_style=None) writes them: keys sorted, no spaces inside the
//                braces, MACs single-quoted
//   block        block mappings, keys sorted, MACs plain (as PyYAML's default dump, yq and people write them)
if (args.Length < 3
    || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var subnets) || subnets is < 1 or > 4000
    || !int.TryParse(args[2], CultureInfo.InvariantCulture, out var perSubnet) || perSubnet is < 0 or > 3800)
{
    Console.Error.WriteLine("usage: generate-inventory OUT_DIR SUBNETS(1-4000) RESERVATIONS_PER_SUBNET(0-3800) [KEA_VERSION] [flow-double|flow-single|block]");
    return 64;
}

var output = args[0];
var version = args.Length > 3 ? args[3] : "3.0";
var style = args.Length > 4 ? args[4] : "flow-double";
if (style is not ("flow-double" or "flow-single" or "block"))
{
    Console.Error.WriteLine($"unknown style '{style}': use flow-double, flow-single or block");
    return 64;
}

Directory.CreateDirectory(Path.Combine(output, "reservations"));

static string Address(uint value) => $"{value >> 24}.{(value >> 16) & 0xFF}.{(value >> 8) & 0xFF}.{value & 0xFF}";

var site = new StringBuilder();
site.Append(CultureInfo.InvariantCulture, $"""
    # Synthetic inventory: {subnets} subnets x {perSubnet} reservations (generate-inventory).
    kea: {"{"} version: "{version}" {"}"}
    servers:
      - {"{"} name: kea-dhcp-1, address: 10.255.0.2, role: primary, interfaces: [eth0] {"}"}
      - {"{"} name: kea-dhcp-2, address: 10.255.0.3, role: secondary, interfaces: [eth0] {"}"}
    high-availability: {"{"} mode: load-balancing, port: 8000 {"}"}
    control-agent: {"{"} port: 8001 {"}"}
    renew-timer: 900
    rebind-timer: 1800
    valid-lifetime: 3600
    option-data:
      domain-name-servers: [10.255.0.53, 10.255.0.54]
      domain-name: bench.example
    subnets:

    """);

var mac = 0u;
for (var i = 0; i < subnets; i++)
{
    var network = (10u << 24) + ((uint)i * 4096);
    site.Append(CultureInfo.InvariantCulture, $"""
          - id: {i + 1}
            subnet: {Address(network)}/20
            pools: [{Address(network + 3840)} - {Address(network + 4094)}]
            option-data: {"{"} routers: {Address(network + 1)} {"}"}
            reservations-from: reservations/subnet-{i:D5}.yaml

        """);

    var reservations = new StringBuilder();
    for (var j = 0; j < perSubnet; j++, mac++)
    {
        var hw = string.Create(CultureInfo.InvariantCulture, $"02:00:{(mac >> 24) & 0xFF:x2}:{(mac >> 16) & 0xFF:x2}:{(mac >> 8) & 0xFF:x2}:{mac & 0xFF:x2}");
        var ip = Address(network + 2 + (uint)j);
        reservations.Append(style switch
        {
            "flow-single" => string.Create(CultureInfo.InvariantCulture, $"- {{hostname: h{i}-{j}, hw-address: '{hw}', ip-address: {ip}}}\n"),
            "block" => string.Create(CultureInfo.InvariantCulture, $"- hostname: h{i}-{j}\n  hw-address: {hw}\n  ip-address: {ip}\n"),
            _ => string.Create(CultureInfo.InvariantCulture, $"- {{ hw-address: \"{hw}\", ip-address: {ip}, hostname: h{i}-{j} }}\n"),
        });
    }

    File.WriteAllText(Path.Combine(output, "reservations", $"subnet-{i:D5}.yaml"), reservations.ToString());
}

File.WriteAllText(Path.Combine(output, "site.yaml"), site.ToString());
Console.WriteLine($"wrote {subnets * perSubnet} reservations in {subnets} subnets to {output}");
return 0;
