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
    [InlineData("{ duid: \"00:01:02\", hostname: no-address }")]
    [InlineData("{ circuit-id: \"'gi0/1'\", flex-id: 7, ip-address: 192.0.2.13 }")]
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
        // Every inventory key of a reservation, found by its [Key]: a key the fast binder forgets fails here.
        var properties = typeof(Reservation).GetProperties().Where(p => p.GetCustomAttributes(typeof(KeyAttribute), false).Length > 0).ToList();
        var options = r.OptionData.Select(o => $"{o.Name}@{o.Location}={string.Join("|", o.Values.Select(v => $"{v.Value}@{v.Location}"))} list={o.IsList} always={o.AlwaysSend} code={o.Code}");
        return $"{r.Location} " + string.Join(" ", properties.Where(p => p.Name != nameof(Reservation.OptionData)).Select(p => $"{p.Name}={p.GetValue(r)}")) + "\n"
            + string.Join("\n", properties.Select(p => $"{p.Name} at {r.LocationOf(p.Name)}")) + "\n" + string.Join("\n", options)
            + "\nkea: " + string.Join(",", r.KeaKeys.Select(k => k.Key.Value));
    }
}
