using System.Text.Json;
using KeaGitOps.Core.Addressing;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>
/// One reservation: who it is for (hw-address or client-id, written in the normal form of <see
/// cref="ReservationIdentity"/>), its address, hostname, comment and options.
/// </summary>
internal static class ReservationSection
{
    public static ImportedReservation? Read(SectionContext c, JsonElement reservation, string path)
    {
        var keaKeys = new List<Setting>();
        if (!c.KeepKeaKeys(reservation, path, (key, value) => keaKeys.Add(new Setting(key, value)), ["hw-address", "client-id", "ip-address", "hostname", "user-context", "option-data"]))
        {
            return null;
        }

        var address = Text(reservation, "ip-address");
        if (address is null)
        {
            c.NotImported(path, "a reservation without ip-address");
            return null;
        }

        if (ReservationIdentity.Of(reservation) is not { Type: IdentifierType.HwAddress or IdentifierType.ClientId } identity)
        {
            var written = Text(reservation, "hw-address") ?? Text(reservation, "client-id");
            c.NotImported(path, written is not null && ReservationIdentity.Of(reservation) is null
                ? $"{written}: not an identifier Kea reads (hex octets, or a quoted string for a client-id)"
                : "a reservation by an identifier the inventory does not have (only hw-address and client-id)");
            return null;
        }

        // The normal form: Kea reads "A8:2:…" and "a8:02:…" as one device, and validate wants the latter.
        var fields = new List<Setting> { new(identity.KeaName, YamlValue.String(identity.Value)) };
        fields.Add(new Setting("ip-address", YamlValue.String(address)));
        if (Text(reservation, "hostname") is { } hostname)
        {
            fields.Add(new Setting("hostname", YamlValue.String(hostname)));
        }

        if (Member(reservation, "user-context", JsonValueKind.Object) is { } context)
        {
            if (context.EnumerateObject().All(m => m.Name == "comment") && Text(context, "comment") is { } comment)
            {
                fields.Add(new Setting("comment", YamlValue.String(comment)));
            }
            else
            {
                // More than a comment: the whole user-context as Kea's key (a comment alongside it would be written twice).
                keaKeys.Add(new Setting("user-context", c.WithoutSecrets(context, path + ".user-context")));
            }
        }

        var options = OptionDataSection.Read(c, reservation, path, string.Empty);
        if (options.Count > 0)
        {
            fields.Add(new Setting("option-data", new YamlMap(options.Select(o => KeyValuePair.Create(o.Key["option-data.".Length..], o.Value)).ToList())));
        }

        fields.AddRange(keaKeys);
        return new ImportedReservation(identity, address, fields);
    }
}
