using System.Globalization;
using System.Text;

namespace KeaGitOps.Core.Import;

/// <summary>
/// A typed value to write into the imported inventory. Values compare by type and content (record
/// equality); <see cref="ToYaml"/> writes one in YAML flow style, every string double-quoted and escaped
/// so no imported text can change the YAML structure.
/// </summary>
public abstract record YamlValue
{
    public abstract string ToYaml();

    public static YamlValue String(string text) => new YamlString(text);

    public static YamlValue Number(long value) => new YamlNumber(value);

    public static YamlValue Bool(bool value) => new YamlBool(value);

    /// <summary>
    /// A Kea value as written in its config, for Kea's own keys that the inventory takes as they are:
    /// objects, lists, strings, numbers (integers exactly as written, reals too), booleans and null.
    /// </summary>
    public static YamlValue FromJson(System.Text.Json.JsonElement value) => value.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Object => new YamlMap(value.EnumerateObject().Select(m => KeyValuePair.Create(m.Name, FromJson(m.Value))).ToList()),
        System.Text.Json.JsonValueKind.Array => new YamlList(value.EnumerateArray().Select(FromJson).ToList()),
        System.Text.Json.JsonValueKind.String => new YamlString(value.GetString()!),
        System.Text.Json.JsonValueKind.Number when value.TryGetInt64(out var number) => new YamlNumber(number),
        System.Text.Json.JsonValueKind.Number => new YamlNumberText(value.GetRawText()),
        System.Text.Json.JsonValueKind.True => new YamlBool(true),
        System.Text.Json.JsonValueKind.False => new YamlBool(false),
        _ => new YamlNull(),
    };

    /// <summary>A YAML double-quoted scalar: backslash, quote and every non-printable character escaped.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\t': builder.Append("\\t"); break;
                case '\r': builder.Append("\\r"); break;
                case < ' ' or (>= '\u007f' and <= '\u009f'):
                    builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                case '\u2028' or '\u2029' or '\ufeff':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: builder.Append(c); break;
            }
        }

        return builder.Append('"').ToString();
    }
}

public sealed record YamlString(string Value) : YamlValue
{
    public override string ToYaml() => Quote(Value);
}

public sealed record YamlNumber(long Value) : YamlValue
{
    public override string ToYaml() => Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A number that is not a 64-bit integer (a real, or a larger integer), written as Kea's config wrote it: JSON numbers are YAML numbers.</summary>
public sealed record YamlNumberText(string Text) : YamlValue
{
    public override string ToYaml() => Text;
}

public sealed record YamlNull : YamlValue
{
    public override string ToYaml() => "null";
}

public sealed record YamlBool(bool Value) : YamlValue
{
    public override string ToYaml() => Value ? "true" : "false";
}

public sealed record YamlList(IReadOnlyList<YamlValue> Items) : YamlValue
{
    public override string ToYaml() => "[" + string.Join(", ", Items.Select(i => i.ToYaml())) + "]";

    public bool Equals(YamlList? other) => other is not null && Items.SequenceEqual(other.Items);

    public override int GetHashCode() => Items.Count;
}

/// <summary>A flow mapping; keys are kebab-case inventory keys (never user text), values are quoted.</summary>
public sealed record YamlMap(IReadOnlyList<KeyValuePair<string, YamlValue>> Entries) : YamlValue
{
    public override string ToYaml() => "{ " + string.Join(", ", Entries.Select(e => $"{YamlKey(e.Key)}: {e.Value.ToYaml()}")) + " }";

    public bool Equals(YamlMap? other) => other is not null && Entries.SequenceEqual(other.Entries);

    public override int GetHashCode() => Entries.Count;

    /// <summary>Inventory keys are plain kebab-case; anything else (an imported option name) is quoted.</summary>
    public static string YamlKey(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && char.IsAsciiLetter(key[0]) ? key : Quote(key);
}
