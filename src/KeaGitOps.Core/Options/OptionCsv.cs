using System.Text;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Options;

/// <summary>
/// Option data in Kea's csv-format (the default), written so that clients receive exactly the
/// inventory's values. Kea (2.2 and 3.0: isc::util::str::tokens with escapes, then
/// OptionDefinition::optionFactory) splits "data" at every comma not preceded by a backslash, reads
/// "\," as a comma and "\\" as one backslash (a backslash before anything else stays as written), drops
/// empty pieces, trims spaces, tabs and newlines around each piece, and a single-valued option keeps only
/// the first piece: root-path "host:/srv,vers=3" reached clients as "host:/srv", and `kea-dhcp4 -t` says
/// nothing. So every value is escaped here, and values Kea would change anyway (blank at either end, an
/// empty one among several) are refused by OptionRules (KGO405).
/// </summary>
public static class OptionCsv
{
    /// <summary>The characters Kea trims around each value (util::str::trim).</summary>
    private static readonly char[] KeaBlanks = [' ', '\t', '\n'];

    /// <summary>
    /// The values an option carries, as the inventory structures them. Each list entry is one value,
    /// commas included. A single string is one value for a single-valued option; for options that take
    /// several values (arrays, records, options without a known definition) it is split at every comma,
    /// as Kea users write it ("10.0.0.1, 10.0.0.2"). Raw data (csv-format: false) is not split.
    /// </summary>
    /// <param name="definition">the option's definition (standard or the inventory's option-def), or null when none is known.</param>
    public static List<Located<string>> Values(OptionValue option, OptionDefinition? definition)
    {
        if (option.IsList || option.CsvFormat == false || definition is { TakesSeveralValues: false })
        {
            return option.Values;
        }

        return option.Values
            .SelectMany(v => v.Value.Split(',').Select(part => v with { Value = part.Trim() }))
            .ToList();
    }

    /// <summary>The values of an option of the standard DHCPv4 space (or of a space keagitops has no definitions for).</summary>
    public static List<Located<string>> Values(OptionValue option) => Values(option, OptionCatalogue.Standard.Find(option));

    /// <summary>The "data" text for Kea: each value escaped, joined by ", " (raw data passes unchanged).</summary>
    public static string Data(OptionValue option, OptionDefinition? definition) => option.CsvFormat == false
        ? string.Join(", ", option.Values.Select(v => v.Value))
        : string.Join(", ", Values(option, definition).Select(v => Escape(v.Value)));

    /// <inheritdoc cref="Data(OptionValue, OptionDefinition?)"/>
    public static string Data(OptionValue option) => Data(option, OptionCatalogue.Standard.Find(option));

    /// <summary>One value escaped so that Kea's tokenizer gives it back whole: "\" as "\\", "," as "\,".</summary>
    public static string Escape(string value)
    {
        if (value.AsSpan().IndexOfAny('\\', ',') < 0)
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '\\' or ',')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }

    /// <summary>
    /// The values Kea reads from csv-format "data" text, exactly as Kea does (escapes resolved, empty
    /// pieces dropped, then each piece trimmed, so a blank piece reads as an empty value): what import
    /// writes into an inventory and what a round trip compares.
    /// </summary>
    public static List<string> Split(string data)
    {
        var values = new List<string>();
        var token = new StringBuilder();
        var inToken = false;
        var escaped = false;
        foreach (var c in data)
        {
            if (c == ',')
            {
                if (escaped)
                {
                    escaped = false;
                    token.Append(c);
                }
                else if (inToken)
                {
                    Add(values, token);
                    inToken = false;
                }
            }
            else if (c == '\\')
            {
                inToken = true;
                if (escaped)
                {
                    token.Append(c);
                }

                escaped = !escaped;
            }
            else
            {
                inToken = true;
                if (escaped)
                {
                    // Kea keeps a backslash that escapes nothing it knows.
                    token.Append('\\');
                    escaped = false;
                }

                token.Append(c);
            }
        }

        if (escaped)
        {
            token.Append('\\');
        }

        Add(values, token);
        return values;

        static void Add(List<string> values, StringBuilder token)
        {
            // Kea drops an empty piece but keeps a blank one, which its trim then empties.
            if (token.Length > 0)
            {
                values.Add(token.ToString().Trim(KeaBlanks));
            }

            token.Clear();
        }
    }

    /// <summary>
    /// Why Kea cannot deliver this value as written (whatever the escaping), or null when it can:
    /// <paramref name="oneOfSeveral"/> says whether the option carries other values beside it.
    /// </summary>
    public static string? Unrepresentable(string value, bool oneOfSeveral)
    {
        if (value.Length == 0)
        {
            // An empty first value vanishes (Kea skips a leading comma), so the others would move up a place.
            return oneOfSeveral ? "Kea cannot carry an empty value among several (it drops an empty first one); remove it" : null;
        }

        return KeaBlanks.Contains(value[0]) || KeaBlanks.Contains(value[^1])
            ? "Kea removes spaces, tabs and line breaks at either end of a value; remove them, or give the bytes as hex with csv-format: false"
            : null;
    }
}
