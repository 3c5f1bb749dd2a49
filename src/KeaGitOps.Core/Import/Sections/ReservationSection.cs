using System.Text.Json;
using KeaGitOps.Core.Addressing;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>
/// One reservation: who it is for (hw-address, client-id, duid, circuit-id or flex-id, written in the
/// normal form of <see cref="ReservationIdentity"/>), its address when it has one, hostname, comment and options.
/// </summary>
internal static class ReservationSection
{
    /// <summary>The identifier members of a Kea reservation, in Kea's lookup order (ReservationIdentity's).</summary>
    private static readonly string[] Identifiers = [.. Enum.GetValues<IdentifierType>().Select(ReservationIdentity.KeaNameOf)];

    public static ImportedReservation? Read(SectionContext c, JsonElement reservation, string path)
    {
        var keaKeys = new List<Setting>();
        if (!c.KeepKeaKeys(reservation, path, (key, value) => keaKeys.Add(new Setting(key, value)), [.. Identifiers, "ip-address", "hostname", "user-context", "option-data"]))
        {
            return null;
        }

        if (ReservationIdentity.Of(reservation) is not { } identity)
        {
            var written = Identifiers.Select(name => Text(reservation, name)).FirstOrDefault(text => text is not null);
            c.NotImported(path, written is not null
                ? $"{written}: not an identifier Kea reads (hex octets, or a quoted string)"
                : "a reservation without an identifier");
            return null;
        }

        // The normal form: Kea reads "A8:2:…" and "a8:02:…" as one device, and validate wants the latter.
        var fields = new List<Setting> { new(identity.KeaName, YamlValue.String(identity.Value)) };
        var address = Text(reservation, "ip-address");
        if (address is not null)
        {
            fields.Add(new Setting("ip-address", YamlValue.String(address)));
        }

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
