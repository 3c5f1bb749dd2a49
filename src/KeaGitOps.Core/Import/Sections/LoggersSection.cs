using System.Text.Json;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>Dhcp4.loggers: the one kea-dhcp4 logger keagitops renders, its severity, debug level and output.</summary>
internal static class LoggersSection
{
    /// <summary>Whether the list is one kea-dhcp4 logger with at most one output the inventory's logging settings name.</summary>
    private static bool FitsLogging(JsonElement loggers)
    {
        if (loggers.GetArrayLength() != 1 || loggers[0] is not { ValueKind: JsonValueKind.Object } logger || Text(logger, "name") != "kea-dhcp4")
        {
            return false;
        }

        var outputsKey = logger.TryGetProperty("output_options", out _) ? "output_options" : "output-options";
        if (logger.EnumerateObject().Any(m => m.Name is not ("name" or "severity" or "debuglevel") && m.Name != outputsKey))
        {
            return false;
        }

        if (!logger.TryGetProperty(outputsKey, out var outputs))
        {
            return true;
        }

        return outputs.ValueKind == JsonValueKind.Array && outputs.GetArrayLength() <= 1
            && outputs.EnumerateArray().All(o => o.ValueKind == JsonValueKind.Object && o.EnumerateObject().All(m => m.Name == "output")
                && (Text(o, "output") is null or "stdout" or "/var/log/kea/kea-dhcp4.log" || Text(o, "output")!.StartsWith("syslog", StringComparison.Ordinal)));
    }

    public static void Read(SectionContext c, JsonElement dhcp4, string p)
    {
        if (Member(dhcp4, "loggers", JsonValueKind.Array) is not { } loggers)
        {
            c.Note(p + ".loggers", "absent: keagitops renders the kea-dhcp4 logger (INFO to stdout)");
            return;
        }

        if (!FitsLogging(loggers))
        {
            // More than the inventory's logging can say (other loggers, rotation, several outputs): Kea's list as written.
            c.Set("loggers", YamlValue.FromJson(loggers));
            return;
        }

        var i = 0;
        foreach (var logger in loggers.EnumerateArray())
        {
            var path = $"{p}.loggers[{i++}]";
            if (Text(logger, "name") != "kea-dhcp4" || i > 1)
            {
                c.NotImported(path, "keagitops renders one logger, kea-dhcp4");
                continue;
            }

            // Kea 2.6 and 3.0 read both names; the one the config uses is the one read.
            var outputsKey = logger.TryGetProperty("output_options", out _) ? "output_options" : "output-options";
            if (!c.OnlyKnown(logger, path, "name", "severity", "debuglevel", outputsKey))
            {
                continue;
            }

            if (Text(logger, "severity") is { } severity)
            {
                c.Set("logging.severity", YamlValue.String(severity));
            }

            if (SectionContext.Integer(logger, "debuglevel") is { } level)
            {
                c.Set("logging.debuglevel", YamlValue.Number(level));
            }

            if (!logger.TryGetProperty(outputsKey, out var outputs) || outputs.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var j = 0;
            foreach (var output in outputs.EnumerateArray())
            {
                var outputPath = $"{path}.{outputsKey}[{j}]";
                if (j++ > 0)
                {
                    c.NotImported(outputPath, "keagitops renders one output");
                    continue;
                }

                if (!c.OnlyKnown(output, outputPath, "output"))
                {
                    continue;
                }

                var target = Text(output, "output") ?? "stdout";
                var mapped = target switch
                {
                    "stdout" => "stdout",
                    "syslog:kea-dhcp4" => "syslog",
                    "/var/log/kea/kea-dhcp4.log" => "file",
                    _ when target.StartsWith("syslog", StringComparison.Ordinal) => "syslog",
                    _ => null,
                };
                if (mapped is null)
                {
                    c.NotImported(outputPath + ".output", $"{target}: the inventory offers stdout, syslog or /var/log/kea/kea-dhcp4.log");
                }
                else
                {
                    if (mapped == "syslog" && target != "syslog:kea-dhcp4")
                    {
                        c.Note(outputPath + ".output", $"{target} becomes syslog:kea-dhcp4");
                    }

                    c.Set("logging.output", YamlValue.String(mapped));
                }
            }
        }
    }
}
