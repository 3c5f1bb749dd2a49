using System.Globalization;
using System.Text;

namespace KeaGitOps.Core.Rendering;

/// <summary>
/// The parts of the model that templates emit whole, as finished JSON: option lists and a subnet's
/// reservations. A large inventory is nearly all reservations, and building their JSON here once for
/// both servers instead of looping over 100,000 of them in Scriban per server is most of the render's
/// speed. Like every string in the model, each fragment is built from values already quoted by
/// <see cref="CanonicalJson.Quote"/>; the canonical writer lays the result out afterwards.
/// </summary>
public static class JsonFragments
{
    /// <summary>An option-data list: name, then code, space and the csv/always/never flags when set, then data.</summary>
    public static string Options(IReadOnlyList<OptionView> options)
    {
        var text = new StringBuilder();
        AppendOptions(text, options);
        return text.ToString();
    }

    /// <summary>The inventory's option-def list as Kea takes it (only the keys written), or null when there is none.</summary>
    public static string? OptionDefs(IReadOnlyList<Inventory.OptionDef> definitions)
    {
        if (definitions.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder("[");
        foreach (var def in definitions)
        {
            text.Append(text.Length == 1 ? " {" : ", {");
            Member(text, "name", CanonicalJson.Quote(def.Name));
            Member(text, "code", def.Code?.ToString(CultureInfo.InvariantCulture));
            Member(text, "type", CanonicalJson.Quote(def.Type));
            Member(text, "space", def.Space is null ? null : CanonicalJson.Quote(def.Space));
            Flag(text, "array", def.Array);
            Member(text, "record-types", def.RecordTypes is null ? null : CanonicalJson.Quote(def.RecordTypes));
            Member(text, "encapsulate", def.Encapsulate is null ? null : CanonicalJson.Quote(def.Encapsulate));
            text.Append(KeaKeysJson.Members(def.KeaKeys));
            text.Length--; // the last member's comma
            text.Append(" }");
        }

        return text.Append(" ]").ToString();
    }

    /// <summary>lease_cmds' parameters (its binding variables), or null when there are none.</summary>
    public static string? LeaseCmdsParameters(Inventory.LeaseCommands leaseCmds)
    {
        if (leaseCmds.BindingVariables.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder("{ \"binding-variables\": [");
        foreach (var variable in leaseCmds.BindingVariables)
        {
            text.Append(text[^1] == '[' ? " {" : ", {");
            Member(text, "name", CanonicalJson.Quote(variable.Name));
            Member(text, "expression", CanonicalJson.Quote(variable.Expression));
            Member(text, "source", CanonicalJson.Quote(variable.Source));
            text.Length--; // the last member's comma
            text.Append(" }");
        }

        return text.Append(" ] }").ToString();
    }

    /// <summary>
    /// A subnet's reservations: hw-address or client-id, hostname, the comment as user-context,
    /// option-data when there is any, then ip-address.
    /// </summary>
    public static string Reservations(IReadOnlyList<ReservationView> reservations)
    {
        var text = new StringBuilder(reservations.Count * 128);
        text.Append('[');
        for (var i = 0; i < reservations.Count; i++)
        {
            text.Append(i == 0 ? "\n  " : ",\n  ");
            AppendReservation(text, reservations[i]);
        }

        return text.Append(reservations.Count == 0 ? "]" : "\n]").ToString();
    }

    private static void AppendReservation(StringBuilder text, ReservationView reservation)
    {
        text.Append('{');
        Member(text, reservation.IdentifierName, reservation.Identifier);
        Member(text, "hostname", reservation.Hostname);
        if (reservation.Comment is { } comment)
        {
            text.Append(" \"user-context\": { \"comment\": ").Append(comment).Append(" },");
        }

        if (reservation.OptionData.Count > 0)
        {
            text.Append(" \"option-data\": ");
            AppendOptions(text, reservation.OptionData);
            text.Append(',');
        }

        text.Append(reservation.KeaKeys);
        if (reservation.IpAddress is { } address)
        {
            text.Append(" \"ip-address\": ").Append(address).Append(" }");
        }
        else
        {
            text.Length--; // the last member's comma
            text.Append(" }");
        }
    }

    private static void AppendOptions(StringBuilder text, IReadOnlyList<OptionView> options)
    {
        text.Append('[');
        for (var i = 0; i < options.Count; i++)
        {
            var option = options[i];
            text.Append(i == 0 ? " { \"name\": " : ", { \"name\": ").Append(option.Name).Append(',');
            if (option.Code is { } code)
            {
                text.Append(" \"code\": ").Append(code.ToString(CultureInfo.InvariantCulture)).Append(',');
            }

            Member(text, "space", option.Space);
            Flag(text, "csv-format", option.CsvFormat);
            Flag(text, "always-send", option.AlwaysSend);
            Flag(text, "never-send", option.NeverSend);
            text.Append(option.KeaKeys);
            text.Append(" \"data\": ").Append(option.Data).Append(" }");
        }

        text.Append(options.Count == 0 ? "]" : " ]");
    }

    /// <summary>A member whose value is already a JSON literal, followed by a comma; nothing when absent.</summary>
    private static void Member(StringBuilder text, string name, string? literal)
    {
        if (literal is not null)
        {
            text.Append(" \"").Append(name).Append("\": ").Append(literal).Append(',');
        }
    }

    private static void Flag(StringBuilder text, string name, bool? value)
    {
        if (value is { } set)
        {
            text.Append(" \"").Append(name).Append("\": ").Append(set ? "true" : "false").Append(',');
        }
    }
}
