using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Tests.Validation;

/// <summary>Reservations are bound without reflection for speed; the result must equal the general binder's.</summary>
public sealed class ReservationBindingTests
{
    [Theory]
    [InlineData("{ hw-address: \"AA:bb:cc:00:00:01\", ip-address: 192.0.2.10, hostname: printer }")]
    [InlineData("{ client-id: \"01:aa:bb\", ip-address: \"192.0.2.11\", comment: \"in the hall\", unknown: 1 }")]
    [InlineData("{ hw-address: 8000, ip-address: not-an-address, hostname: [a, b], comment: { x: y } }")]
    [InlineData("{ hw-address: \"aa:bb:cc:00:00:02\", ip-address: 192.0.2.12, option-data: { routers: 192.0.2.1, domain-name-servers: [192.0.2.2, 192.0.2.3], boot-file-name: { data: pxe, always-send: true } } }")]
    [InlineData("{ option-data: 7, ip-address: { a: b } }")]
    [InlineData("{}")]
    public void The_fast_binder_binds_exactly_what_the_general_one_does(string yaml)
    {
        var node = YamlReader.Read("- " + yaml + "\n", "reservations/x.yaml", new DiagnosticBag());
        var mapping = Assert.IsType<MappingNode>(Assert.IsType<SequenceNode>(node).Items[0]);

        var general = (Reservation)ModelBinder.BindObjectByReflection(typeof(Reservation), mapping);
        var fast = ModelBinder.BindReservation(mapping);

        Assert.Equal(Describe(general), Describe(fast));
    }

    private static string Describe(Reservation r)
    {
        var properties = new[] { nameof(Reservation.HwAddress), nameof(Reservation.ClientId), nameof(Reservation.IpAddress), nameof(Reservation.Hostname), nameof(Reservation.Comment), nameof(Reservation.OptionData) };
        var options = r.OptionData.Select(o => $"{o.Name}@{o.Location}={string.Join("|", o.Values.Select(v => $"{v.Value}@{v.Location}"))} list={o.IsList} always={o.AlwaysSend} code={o.Code}");
        return $"{r.Location} hw={r.HwAddress} id={r.ClientId} ip={r.IpAddress} host={r.Hostname} comment={r.Comment}\n"
            + string.Join("\n", properties.Select(p => $"{p} at {r.LocationOf(p)}")) + "\n" + string.Join("\n", options);
    }
}
