using KeaGitOps.Core.Addressing;

namespace KeaGitOps.Tests.Addressing;

/// <summary>Who a reservation is for, read as Kea reads identifiers (decodeFormattedHexString).</summary>
public sealed class ReservationIdentityTests
{
    [Theory]
    [InlineData("aa:0b:cc:dd:ee:ff")]
    [InlineData("AA:0B:CC:DD:EE:FF")]
    [InlineData("aa:b:cc:dd:ee:ff")]
    [InlineData("aa 0b cc dd ee ff")]
    [InlineData("aa0bccddeeff")]
    [InlineData("0xAA0BCCDDEEFF")]
    public void Every_spelling_Kea_reads_as_one_mac_is_one_identity(string text)
    {
        var identity = ReservationIdentity.Parse(IdentifierType.HwAddress, text);

        Assert.Equal(new ReservationIdentity(IdentifierType.HwAddress, "aa:0b:cc:dd:ee:ff"), identity);
        Assert.Equal("hw-address=aa:0b:cc:dd:ee:ff", identity.ToString());
    }

    [Theory]
    [InlineData("aa:bb:cc:dd:ee:fg")]
    [InlineData("aa::bb")]
    [InlineData("")]
    [InlineData("'quoted'")]
    public void What_Kea_refuses_as_a_mac_has_no_identity(string text) =>
        Assert.Null(ReservationIdentity.Parse(IdentifierType.HwAddress, text));

    [Fact]
    public void A_mac_longer_than_Keas_twenty_octets_has_no_identity_whatever_its_spelling()
    {
        var octets = string.Join(':', Enumerable.Repeat("ab", 21));

        Assert.Null(ReservationIdentity.Parse(IdentifierType.HwAddress, octets));
        Assert.Null(ReservationIdentity.Parse(IdentifierType.HwAddress, octets.ToUpperInvariant()));
        Assert.NotNull(ReservationIdentity.Parse(IdentifierType.HwAddress, string.Join(':', Enumerable.Repeat("ab", 20))));
    }

    [Fact]
    public void A_quoted_client_id_stays_as_written_and_differs_from_its_hex()
    {
        var quoted = ReservationIdentity.Parse(IdentifierType.ClientId, "'Printer'");

        Assert.Equal("'Printer'", quoted?.Value);
        Assert.NotEqual(quoted, ReservationIdentity.Parse(IdentifierType.ClientId, "27:50:72:69:6e:74:65:72:27"));
        Assert.Equal(new ReservationIdentity(IdentifierType.ClientId, "01:aa:bb:cc:dd:ee:ff"), ReservationIdentity.Parse(IdentifierType.HwAddress, "AA:BB:CC:DD:EE:FF")?.AsEthernetClientId());
    }

    [Fact]
    public void A_reservation_object_is_identified_in_Keas_lookup_order()
    {
        using var both = System.Text.Json.JsonDocument.Parse("""{ "client-id": "01:aa:bb:cc:dd:ee:ff", "hw-address": "AA:BB:CC:DD:EE:FF" }""");
        using var none = System.Text.Json.JsonDocument.Parse("""{ "ip-address": "192.0.2.1" }""");

        Assert.Equal("hw-address=aa:bb:cc:dd:ee:ff", ReservationIdentity.Of(both.RootElement)?.ToString());
        Assert.Null(ReservationIdentity.Of(none.RootElement));
    }
}
