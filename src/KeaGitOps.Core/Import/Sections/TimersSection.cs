using System.Text.Json;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>renew-timer, rebind-timer and valid-lifetime, at the top level or in a subnet.</summary>
internal static class TimersSection
{
    public static IEnumerable<Setting> Read(JsonElement element)
    {
        foreach (var key in new[] { "renew-timer", "rebind-timer", "valid-lifetime" })
        {
            if (SectionContext.Integer(element, key) is { } value)
            {
                yield return new Setting(key, YamlValue.Number(value));
            }
        }
    }
}
