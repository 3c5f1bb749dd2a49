using System.Text.Json;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Options;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>
/// An option-data list (top level, subnet, pool, reservation): options by name, as a plain value or the long
/// form, standard ones and those the config's option-def defines (which the inventory holds as option-def).
/// </summary>
internal static class OptionDataSection
{
    public static List<Setting> Read(SectionContext c, JsonElement element, string path, string prefix)
    {
        var settings = new List<Setting>();
        if (Member(element, "option-data", JsonValueKind.Array) is not { } options)
        {
            return settings;
        }

        var i = 0;
        foreach (var option in options.EnumerateArray())
        {
            var optionPath = $"{path}.option-data[{i++}]";
            var keaKeys = new List<KeyValuePair<string, YamlValue>>();
            if (!c.KeepKeaKeys(option, optionPath, (key, value) => keaKeys.Add(KeyValuePair.Create(key, value)), ["name", "code", "space", "csv-format", "always-send", "never-send", "data"]))
            {
                continue;
            }

            var code = SectionContext.Integer(option, "code");
            var space = Text(option, "space") ?? KeaDefaults.OptionSpace;
            var name = Text(option, "name")
                ?? (code is { } given && c.DefinedCodes.TryGetValue($"{space}/{given}", out var defined) ? defined : null)
                ?? (space == KeaDefaults.OptionSpace ? OptionDefinitions.Find(code)?.Name : null);
            if (name is null)
            {
                c.NotImported(optionPath, "an option without a name (and no standard option or option-def has its code)");
                continue;
            }

            if (space == KeaDefaults.OptionSpace && OptionDefinitions.Find(name) is null && !c.DefinedOptions.Contains($"{space}/{name}"))
            {
                c.NotImported(optionPath, $"option {name} is neither one of Kea's standard DHCPv4 options that keagitops knows nor defined by the config's global option-def");
                continue;
            }

            var data = option.TryGetProperty("data", out var d) ? Scalar(d) : string.Empty;
            var csv = SectionContext.Flag(option, "csv-format");
            // The values as Kea reads them (escapes resolved), which the renderer escapes again; several
            // for a single-valued option stay a list, so validation says Kea sends only the first.
            var values = csv == false ? [data] : OptionCsv.Split(data);
            YamlValue value = values.Count > 1
                ? new YamlList(values.Select(YamlValue.String).ToList())
                : YamlValue.String(values.Count == 1 ? values[0] : string.Empty);
            var longForm = new List<KeyValuePair<string, YamlValue>>();
            if (code is { } number && option.TryGetProperty("name", out _))
            {
                longForm.Add(KeyValuePair.Create("code", YamlValue.Number(number)));
            }

            if (option.TryGetProperty("space", out _))
            {
                longForm.Add(KeyValuePair.Create("space", YamlValue.String(space)));
            }

            foreach (var flag in new[] { "csv-format", "always-send", "never-send" })
            {
                if (SectionContext.Flag(option, flag) is { } set)
                {
                    longForm.Add(KeyValuePair.Create(flag, YamlValue.Bool(set)));
                }
            }

            longForm.AddRange(keaKeys);
            if (longForm.Count > 0)
            {
                longForm.Insert(0, KeyValuePair.Create("data", value));
                value = new YamlMap(longForm);
            }

            settings.Add(new Setting(prefix + "option-data." + name, value));
        }

        return settings;
    }
}
