using System.Globalization;
using System.Text;

namespace KeaGitOps.Core.Import;

/// <summary>
/// A value to write into the imported inventory, always in YAML flow style. Every string is
/// double-quoted and escaped, so no imported text can change the YAML structure; two values are
/// equal when their YAML text is.
/// </summary>
public abstract record YamlValue
{
    public abstract string ToYaml();

    public bool SameAs(YamlValue? other) => other is not null && ToYaml() == other.ToYaml();

    public static YamlValue String(string text) => new YamlScalar(Quote(text));

    public static YamlValue Number(long value) => new YamlScalar(value.ToString(CultureInfo.InvariantCulture));

    public static YamlValue Bool(bool value) => new YamlScalar(value ? "true" : "false");

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

public sealed record YamlScalar(string Text) : YamlValue
{
    public override string ToYaml() => Text;
}

public sealed record YamlList(IReadOnlyList<YamlValue> Items) : YamlValue
{
    public override string ToYaml() => "[" + string.Join(", ", Items.Select(i => i.ToYaml())) + "]";
}

/// <summary>A flow mapping; keys are kebab-case inventory keys (never user text), values are quoted.</summary>
public sealed record YamlMap(IReadOnlyList<KeyValuePair<string, YamlValue>> Entries) : YamlValue
{
    public override string ToYaml() => "{ " + string.Join(", ", Entries.Select(e => $"{YamlKey(e.Key)}: {e.Value.ToYaml()}")) + " }";

    /// <summary>Inventory keys are plain kebab-case; anything else (an imported option name) is quoted.</summary>
    public static string YamlKey(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && char.IsAsciiLetter(key[0]) ? key : Quote(key);
}
