using System.Text;

namespace KeaGitOps.Tests.Support;

/// <summary>
/// Compares output with an approved file under tests/KeaGitOps.Tests/Golden/ in the source tree.
/// Set KEAGITOPS_UPDATE_GOLDEN=1 to rewrite the approved files from the actual output instead.
/// </summary>
public static class Golden
{
    public const string UpdateVariable = "KEAGITOPS_UPDATE_GOLDEN";

    private const int MaxLinesShown = 20;

    public static void Assert(string relativePathUnderGolden, string actual)
    {
        var path = Path.Combine(RepositoryLayout.GoldenFolder, relativePathUnderGolden);
        actual = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            // In CI the switch would turn every golden test green whatever the output: refuse it.
            Xunit.Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"{UpdateVariable} is set in CI; golden files are rewritten only by hand, then reviewed");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        if (!File.Exists(path))
        {
            Xunit.Assert.Fail($"golden file {path} does not exist; run the tests with {UpdateVariable}=1 to create it, then review it.");
        }

        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            Xunit.Assert.Fail($"output differs from golden file {path} (rerun with {UpdateVariable}=1 to accept it):\n{Difference(expected, actual)}");
        }
    }

    /// <summary>The block of lines between the common start and the common end, as '-' expected and '+' actual lines.</summary>
    internal static string Difference(string expected, string actual)
    {
        var before = expected.Split('\n');
        var after = actual.Split('\n');
        var start = 0;
        while (start < before.Length && start < after.Length && before[start] == after[start])
        {
            start++;
        }

        var endBefore = before.Length;
        var endAfter = after.Length;
        while (endBefore > start && endAfter > start && before[endBefore - 1] == after[endAfter - 1])
        {
            endBefore--;
            endAfter--;
        }

        var text = new StringBuilder($"@@ first difference at line {start + 1} @@\n");
        AppendLines(text, '-', before[start..endBefore]);
        AppendLines(text, '+', after[start..endAfter]);
        return text.ToString();
    }

    private static void AppendLines(StringBuilder text, char sign, string[] lines)
    {
        foreach (var line in lines.Take(MaxLinesShown))
        {
            text.Append(sign).Append(' ').Append(line).Append('\n');
        }

        if (lines.Length > MaxLinesShown)
        {
            text.Append(sign).Append($" … {lines.Length - MaxLinesShown} more line(s)\n");
        }
    }
}
